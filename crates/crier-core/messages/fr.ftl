## crier's messages in French. The comment above each message says where it appears.
## Copy a message into messages/fr.ftl beside your config.toml to change its wording.

## The heading of each post: the first line of its text, and the footer of its Discord embed.

# A post about a new event.
post-new = Nouvel événement
# A reminder before an event; $when says how soon it starts (see starts-in).
post-reminder = Rappel : { $when }
# A notice that an event moved, when its old date is not known.
post-rescheduled = Changement de date
# A notice that an event moved; $was is its old date and time.
post-rescheduled-from = Changement de date (initialement { $was })
# A notice that an event is cancelled.
post-cancelled = Annulé
# A post that a talk's (or an event's) recording is online.
post-recording = Enregistrement disponible
# The digest of upcoming events, and the title of /upcoming.
post-digest = Événements à venir

# How soon an event starts, in a reminder's heading and on each line of the digest. $unit is one of
# now, seconds, minutes, hours, tomorrow, days; $count is how many of them.
starts-in =
    { $unit ->
        [now] maintenant
        [seconds]
            { $count ->
                [one] dans une seconde
               *[other] dans { $count } secondes
            }
        [minutes]
            { $count ->
                [one] dans une minute
               *[other] dans { $count } minutes
            }
        [hours]
            { $count ->
                [one] dans une heure
               *[other] dans { $count } heures
            }
        [tomorrow] demain
       *[days]
            { $count ->
                [one] dans un jour
               *[other] dans { $count } jours
            }
    }

## The plain text of a post: what the console prints, and the text of a digest.

# The first line of a post's text: its heading, then the event's (or the talk's) title.
text-heading = { $heading } : { $title }
# How a series of events repeats, as its file writes it.
text-repeats = Récurrence : { $rule }
# When the event starts: $date in the event's own time zone, named by $zone.
text-when = Quand : { $date } ({ $zone })
# Where the event is (see place-online, place-in-person, place-at).
text-where = Où : { $place }
# The event's language, as its file writes it.
text-language = Langue : { $language }
# The event's registration link.
text-register = Inscription : { $url }
# A recording's speakers.
text-by = Par : { $speakers }
# The event a recorded talk was given at, and its date.
text-at = Événement : { $event } ({ $date })
# One line of the digest: the event's date, title and how soon it starts.
digest-line = - { $date } — { $title } ({ $when })
# The digest, /upcoming and other lists when nothing is coming up.
digest-empty = Rien de prévu pour l’instant.
# A recording link's label, in a recording post and in /talks.
recording = Enregistrement
# The label of one of several recording links; $number counts them.
recording-numbered = Enregistrement { $number }
# The label of a recording in one language; $language is its code (en, he, ...).
recording-in =
    { $language ->
        [en] Enregistrement (anglais)
        [he] Enregistrement (hébreu)
       *[other] Enregistrement ({ $language })
    }

## Where an event takes place: in a post's text and its embed's "Where" field.

# An online event.
place-online = en ligne
# An event in person whose place the file does not name.
place-in-person = en présentiel
# An event in person at $location.
place-at = en présentiel, { $location }

## The fields and buttons of a Discord post, and of an event shown by /next and /event.

# When the event starts.
field-when = Quand
# When a moved event now starts.
field-now = Nouvelle date
# When a moved event started before.
field-was = Ancienne date
# How a series repeats.
field-repeats = Récurrence
# Where the event is.
field-where = Où
# The event's language.
field-language = Langue
# The event a recorded talk was given at.
field-event = Événement
# How many members marked the event as interested in the server's Events tab.
field-interested = Intéressés
# A date whose time is not known yet; $date is the date as Discord shows it.
time-to-be-announced = { $date }, horaire à confirmer
# The first line of a cancelled event's post, and of /event for it.
event-cancelled = Cet événement est annulé.
# An event that is cancelled, in the digest and in lists.
title-cancelled = { $title } (annulé)
# The button that opens an event's registration page.
button-register = S’inscrire
# The button that opens a recording.
button-watch = Regarder

## The server's Events tab: the place of a scheduled event, where the file names none.

# An online event's place, with its registration link.
tab-online-at = En ligne : { $link }
# An online event's place, without a link.
tab-online = En ligne
# An event whose file names no place yet.
tab-place-unknown = Lieu à venir

## Slash-command replies.

# /next when no event is coming up.
reply-no-upcoming = Aucun événement à venir pour l’instant.
# /next when no event of the group $group is coming up.
reply-no-upcoming-in-group = Aucun événement à venir dans le groupe { $group } pour l’instant.
# /event when no event's title matches what the member typed ($query).
reply-no-event-match = Aucun événement ne correspond à « { $query } ».
# /event when no event of the group $group matches $query.
reply-no-event-match-in-group = Aucun événement du groupe { $group } ne correspond à « { $query } ».
# /talks when there is no event to show (no upcoming one, or none matches).
reply-no-such-event = Événement introuvable.
# /talks for the group $group when there is no such event in it.
reply-no-such-event-in-group = Événement introuvable dans le groupe { $group }.
# /talks for an event whose talks are not announced yet.
reply-no-talks-yet = Aucune présentation annoncée pour l’instant.
# /speakers when no talk is by the speaker the member named ($name).
reply-no-talks-by = Aucune présentation de « { $name } ».
# /speakers when no talk of the group $group is by $name.
reply-no-talks-by-in-group = Aucune présentation de « { $name } » dans le groupe { $group }.
# A command's group option names a group no event has; $groups lists the groups there are.
reply-unknown-group = Aucun événement dans le groupe { $group } ; les groupes existants sont : { $groups }.
# A command's group option names a group, but no event file has a group.
reply-no-groups = Aucun événement dans le groupe { $group } ; aucun fichier d’événement n’indique de `group:`.
# A paging button of a group's list whose group has no events any more.
reply-group-gone = Le groupe de cette liste n’a plus aucun événement.
# A command used where several sites answer, without the site option: $sites lists them.
reply-choose-site = Ce serveur a plusieurs sites : { $sites }. Choisissez-en un avec l’option `site`.
# The site option names no site of this server: $site is what was typed, $sites the names.
reply-unknown-site = Ce serveur n’a pas de site nommé { $site }. Ses sites sont : { $sites }.
# A command that failed for a reason of crier's own.
reply-failed = Désolé, quelque chose s’est mal passé.
# The title of a list narrowed to one group: $title is the list's own title.
list-in-group = { $title } dans { $group }
# The title of the list of speakers (/speakers without a name).
list-speakers = Intervenants des prochains événements
# The title of /talks: the event's title.
list-talks = Présentations : { $event }
# A list with nothing on this page.
list-nothing = Rien à afficher.
# The footer of a long list: which page this is.
list-page = Page { $page } sur { $pages }
# The button to the previous page of a list.
button-previous = Précédent
# The button to the next page of a list.
button-next = Suivant

## Slash commands as members see them in Discord. A command's or an option's name is lower case,
## one word (letters, digits, - and _), at most 32 characters, and no two commands (or two options
## of one command) share one; a description is at most 100 characters.

# The /upcoming command.
command-upcoming = agenda
    .description = Les événements à venir, du plus proche au plus lointain
# The /next command.
command-next = prochain
    .description = Le prochain événement, en détail
# The /event command.
command-event = événement
    .description = Un événement, retrouvé par son titre, en détail
# The /talks command.
command-talks = présentations
    .description = Les présentations d’un événement, avec leurs résumés et enregistrements
# The /speakers command.
command-speakers = intervenants
    .description = Les intervenants des prochains événements, ou les présentations d’un intervenant
# The /crier command, for the server's managers.
command-crier = crier
    .description = Les commandes propres à crier
# The /crier status command.
command-crier-status = état
    .description = Événements chargés, problèmes dans les fichiers, prochaines annonces
# The group option of every command.
option-group = groupe
    .description = Uniquement les événements de ce groupe (le group: des fichiers d’événements)
# The site option of every command, where a server has several sites ([[sites]]).
option-site = site
    .description = Le site (la communauté) de ce serveur dont répondre
# The count option of /upcoming.
option-count = nombre
    .description = Combien d’événements, de 1 à 10 (par défaut : tous, 10 par page)
# The name option of /event.
option-event-name = nom
    .description = Le titre de l’événement
# The event option of /talks.
option-talks-event = événement
    .description = Le titre de l’événement (par défaut : le prochain)
# The name option of /speakers.
option-speaker-name = nom
    .description = Le nom d’un intervenant
