## crier's messages in German. The comment above each message says where it appears.
## Copy a message into messages/de.ftl beside your config.toml to change its wording.

## The heading of each post: the first line of its text, and the footer of its Discord embed.

# A post about a new event.
post-new = Neue Veranstaltung
# A reminder before an event; $when says how soon it starts (see starts-in).
post-reminder = Erinnerung: { $when }
# A notice that an event moved, when its old date is not known.
post-rescheduled = Verschoben
# A notice that an event moved; $was is its old date and time.
post-rescheduled-from = Verschoben (ursprünglich { $was })
# A notice that an event is cancelled.
post-cancelled = Abgesagt
# A post that a talk's (or an event's) recording is online.
post-recording = Aufzeichnung verfügbar
# The digest of upcoming events, and the title of /upcoming.
post-digest = Anstehende Veranstaltungen

# How soon an event starts, in a reminder's heading and on each line of the digest. $unit is one of
# now, seconds, minutes, hours, tomorrow, days; $count is how many of them.
starts-in =
    { $unit ->
        [now] jetzt
        [seconds]
            { $count ->
                [one] in einer Sekunde
               *[other] in { $count } Sekunden
            }
        [minutes]
            { $count ->
                [one] in einer Minute
               *[other] in { $count } Minuten
            }
        [hours]
            { $count ->
                [one] in einer Stunde
               *[other] in { $count } Stunden
            }
        [tomorrow] morgen
       *[days]
            { $count ->
                [one] in einem Tag
               *[other] in { $count } Tagen
            }
    }

## The plain text of a post: what the console prints, and the text of a digest.

# The first line of a post's text: its heading, then the event's (or the talk's) title.
text-heading = { $heading }: { $title }
# How a series of events repeats, as its file writes it.
text-repeats = Wiederholung: { $rule }
# When the event starts: $date in the event's own time zone, named by $zone.
text-when = Wann: { $date } ({ $zone })
# Where the event is (see place-online, place-in-person, place-at).
text-where = Wo: { $place }
# The event's language, as its file writes it.
text-language = Sprache: { $language }
# The event's registration link.
text-register = Anmeldung: { $url }
# A recording's speakers.
text-by = Von: { $speakers }
# The event a recorded talk was given at, and its date.
text-at = Veranstaltung: { $event } ({ $date })
# One line of the digest: the event's date, title and how soon it starts.
digest-line = - { $date } — { $title } ({ $when })
# The digest, /upcoming and other lists when nothing is coming up.
digest-empty = Noch nichts geplant.
# A recording link's label, in a recording post and in /talks.
recording = Aufzeichnung
# The label of one of several recording links; $number counts them.
recording-numbered = Aufzeichnung { $number }
# The label of a recording in one language; $language is its code (en, he, ...).
recording-in =
    { $language ->
        [en] Aufzeichnung (Englisch)
        [he] Aufzeichnung (Hebräisch)
       *[other] Aufzeichnung ({ $language })
    }

## Where an event takes place: in a post's text and its embed's "Where" field.

# An online event.
place-online = online
# An event in person whose place the file does not name.
place-in-person = vor Ort
# An event in person at $location.
place-at = vor Ort, { $location }

## The fields and buttons of a Discord post, and of an event shown by /next and /event.

# When the event starts.
field-when = Wann
# When a moved event now starts.
field-now = Neu
# When a moved event started before.
field-was = Bisher
# How a series repeats.
field-repeats = Wiederholung
# Where the event is.
field-where = Wo
# The event's language.
field-language = Sprache
# The event a recorded talk was given at.
field-event = Veranstaltung
# How many members marked the event as interested in the server's Events tab.
field-interested = Interessiert
# A date whose time is not known yet; $date is the date as Discord shows it.
time-to-be-announced = { $date }, Uhrzeit folgt
# The first line of a cancelled event's post, and of /event for it.
event-cancelled = Diese Veranstaltung fällt aus.
# An event that is cancelled, in the digest and in lists.
title-cancelled = { $title } (abgesagt)
# The button that opens an event's registration page.
button-register = Anmelden
# The button that opens a recording.
button-watch = Ansehen

## The server's Events tab: the place of a scheduled event, where the file names none.

# An online event's place, with its registration link.
tab-online-at = Online: { $link }
# An online event's place, without a link.
tab-online = Online
# An event whose file names no place yet.
tab-place-unknown = Ort folgt

## Slash-command replies.

# /next when no event is coming up.
reply-no-upcoming = Noch keine anstehenden Veranstaltungen.
# /next when no event of the group $group is coming up.
reply-no-upcoming-in-group = Noch keine anstehenden Veranstaltungen in der Gruppe { $group }.
# /event when no event's title matches what the member typed ($query).
reply-no-event-match = Keine Veranstaltung passt zu „{ $query }“.
# /event when no event of the group $group matches $query.
reply-no-event-match-in-group = Keine Veranstaltung in der Gruppe { $group } passt zu „{ $query }“.
# /talks when there is no event to show (no upcoming one, or none matches).
reply-no-such-event = Veranstaltung nicht gefunden.
# /talks for the group $group when there is no such event in it.
reply-no-such-event-in-group = Veranstaltung in der Gruppe { $group } nicht gefunden.
# /talks for an event whose talks are not announced yet.
reply-no-talks-yet = Noch keine Vorträge angekündigt.
# /speakers when no talk is by the speaker the member named ($name).
reply-no-talks-by = Keine Vorträge von „{ $name }“.
# /speakers when no talk of the group $group is by $name.
reply-no-talks-by-in-group = Keine Vorträge von „{ $name }“ in der Gruppe { $group }.
# A command's group option names a group no event has; $groups lists the groups there are.
reply-unknown-group = Keine Veranstaltungen in der Gruppe { $group }; vorhandene Gruppen: { $groups }.
# A command's group option names a group, but no event file has a group.
reply-no-groups = Keine Veranstaltungen in der Gruppe { $group }; keine Veranstaltungsdatei enthält ein `group:`.
# A paging button of a group's list whose group has no events any more.
reply-group-gone = Die Gruppe dieser Liste hat keine Veranstaltungen mehr.
# A command used where several sites answer, without the site option: $sites lists them.
reply-choose-site = Dieser Server hat mehrere Seiten: { $sites }. Wähle eine mit der Option `seite`.
# The site option names no site of this server: $site is what was typed, $sites the names.
reply-unknown-site = Dieser Server hat keine Seite namens { $site }. Seine Seiten sind: { $sites }.
# A command that failed for a reason of crier's own.
reply-failed = Sorry, da ist etwas schiefgelaufen.
# The title of a list narrowed to one group: $title is the list's own title.
list-in-group = { $title } in { $group }
# The title of the list of speakers (/speakers without a name).
list-speakers = Vortragende der anstehenden Veranstaltungen
# The title of /talks: the event's title.
list-talks = Vorträge: { $event }
# A list with nothing on this page.
list-nothing = Nichts anzuzeigen.
# The footer of a long list: which page this is.
list-page = Seite { $page } von { $pages }
# The button to the previous page of a list.
button-previous = Zurück
# The button to the next page of a list.
button-next = Weiter

## Slash commands as members see them in Discord. A command's or an option's name is lower case,
## one word (letters, digits, - and _), at most 32 characters, and no two commands (or two options
## of one command) share one; a description is at most 100 characters.

# The /upcoming command.
command-upcoming = termine
    .description = Die anstehenden Veranstaltungen, die nächste zuerst
# The /next command.
command-next = nächste
    .description = Die nächste Veranstaltung mit allen Details
# The /event command.
command-event = veranstaltung
    .description = Eine Veranstaltung, nach Titel gesucht, mit allen Details
# The /talks command.
command-talks = vorträge
    .description = Die Vorträge einer Veranstaltung mit Zusammenfassungen und Aufzeichnungen
# The /speakers command.
command-speakers = vortragende
    .description = Die Vortragenden anstehender Veranstaltungen oder die Vorträge einer Person
# The /crier command, for the server's managers.
command-crier = crier
    .description = Die Befehle von crier selbst
# The /crier status command.
command-crier-status = status
    .description = Geladene Veranstaltungen, Probleme in Dateien, die nächsten Ankündigungen
# The group option of every command.
option-group = gruppe
    .description = Nur Veranstaltungen dieser Gruppe (das group: der Veranstaltungsdateien)
# The site option of every command, where a server has several sites ([[sites]]).
option-site = seite
    .description = Aus welcher Seite (Community) dieses Servers geantwortet wird
# The count option of /upcoming.
option-count = anzahl
    .description = Wie viele Veranstaltungen, 1 bis 10 (Standard: alle, 10 pro Seite)
# The name option of /event.
option-event-name = name
    .description = Der Titel der Veranstaltung
# The event option of /talks.
option-talks-event = veranstaltung
    .description = Der Titel der Veranstaltung (Standard: die nächste)
# The name option of /speakers.
option-speaker-name = name
    .description = Der Name der vortragenden Person
