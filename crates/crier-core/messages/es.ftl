## crier's messages in Spanish. The comment above each message says where it appears.
## Copy a message into messages/es.ftl beside your config.toml to change its wording.

## The heading of each post: the first line of its text, and the footer of its Discord embed.

# A post about a new event.
post-new = Nuevo evento
# A reminder before an event; $when says how soon it starts (see starts-in).
post-reminder = Recordatorio: { $when }
# A notice that an event moved, when its old date is not known.
post-rescheduled = Cambio de fecha
# A notice that an event moved; $was is its old date and time.
post-rescheduled-from = Cambio de fecha (antes: { $was })
# A notice that an event is cancelled.
post-cancelled = Cancelado
# A post that a talk's (or an event's) recording is online.
post-recording = Grabación disponible
# The digest of upcoming events, and the title of /upcoming.
post-digest = Próximos eventos

# How soon an event starts, in a reminder's heading and on each line of the digest. $unit is one of
# now, seconds, minutes, hours, tomorrow, days; $count is how many of them.
starts-in =
    { $unit ->
        [now] ahora
        [seconds]
            { $count ->
                [one] en un segundo
               *[other] en { $count } segundos
            }
        [minutes]
            { $count ->
                [one] en un minuto
               *[other] en { $count } minutos
            }
        [hours]
            { $count ->
                [one] en una hora
               *[other] en { $count } horas
            }
        [tomorrow] mañana
       *[days]
            { $count ->
                [one] en un día
               *[other] en { $count } días
            }
    }

## The plain text of a post: what the console prints, and the text of a digest.

# The first line of a post's text: its heading, then the event's (or the talk's) title.
text-heading = { $heading }: { $title }
# How a series of events repeats, as its file writes it.
text-repeats = Se repite: { $rule }
# When the event starts: $date in the event's own time zone, named by $zone.
text-when = Cuándo: { $date } ({ $zone })
# Where the event is (see place-online, place-in-person, place-at).
text-where = Dónde: { $place }
# The event's language, as its file writes it.
text-language = Idioma: { $language }
# The event's registration link.
text-register = Inscripción: { $url }
# A recording's speakers.
text-by = Por: { $speakers }
# The event a recorded talk was given at, and its date.
text-at = Evento: { $event } ({ $date })
# One line of the digest: the event's date, title and how soon it starts.
digest-line = - { $date } — { $title } ({ $when })
# The digest, /upcoming and other lists when nothing is coming up.
digest-empty = Todavía no hay nada programado.
# A recording link's label, in a recording post and in /talks.
recording = Grabación
# The label of one of several recording links; $number counts them.
recording-numbered = Grabación { $number }
# The label of a recording in one language; $language is its code (en, he, ...).
recording-in =
    { $language ->
        [en] Grabación (inglés)
        [he] Grabación (hebreo)
       *[other] Grabación ({ $language })
    }

## Where an event takes place: in a post's text and its embed's "Where" field.

# An online event.
place-online = en línea
# An event in person whose place the file does not name.
place-in-person = presencial
# An event in person at $location.
place-at = presencial, { $location }

## The fields and buttons of a Discord post, and of an event shown by /next and /event.

# When the event starts.
field-when = Cuándo
# When a moved event now starts.
field-now = Nueva fecha
# When a moved event started before.
field-was = Antes
# How a series repeats.
field-repeats = Se repite
# Where the event is.
field-where = Dónde
# The event's language.
field-language = Idioma
# The event a recorded talk was given at.
field-event = Evento
# How many members marked the event as interested in the server's Events tab.
field-interested = Interesados
# A date whose time is not known yet; $date is the date as Discord shows it.
time-to-be-announced = { $date }, hora por confirmar
# The first line of a cancelled event's post, and of /event for it.
event-cancelled = Este evento está cancelado.
# An event that is cancelled, in the digest and in lists.
title-cancelled = { $title } (cancelado)
# The button that opens an event's registration page.
button-register = Inscribirse
# The button that opens a recording.
button-watch = Ver

## The server's Events tab: the place of a scheduled event, where the file names none.

# An online event's place, with its registration link.
tab-online-at = En línea: { $link }
# An online event's place, without a link.
tab-online = En línea
# An event whose file names no place yet.
tab-place-unknown = Lugar por confirmar

## Slash-command replies.

# /next when no event is coming up.
reply-no-upcoming = Aún no hay próximos eventos.
# /next when no event of the group $group is coming up.
reply-no-upcoming-in-group = Aún no hay próximos eventos en el grupo { $group }.
# /event when no event's title matches what the member typed ($query).
reply-no-event-match = Ningún evento coincide con «{ $query }».
# /event when no event of the group $group matches $query.
reply-no-event-match-in-group = Ningún evento del grupo { $group } coincide con «{ $query }».
# /talks when there is no event to show (no upcoming one, or none matches).
reply-no-such-event = No se encontró el evento.
# /talks for the group $group when there is no such event in it.
reply-no-such-event-in-group = No se encontró el evento en el grupo { $group }.
# /talks for an event whose talks are not announced yet.
reply-no-talks-yet = Aún no hay charlas anunciadas.
# /speakers when no talk is by the speaker the member named ($name).
reply-no-talks-by = No hay charlas de «{ $name }».
# /speakers when no talk of the group $group is by $name.
reply-no-talks-by-in-group = No hay charlas de «{ $name }» en el grupo { $group }.
# A command's group option names a group no event has; $groups lists the groups there are.
reply-unknown-group = No hay eventos en el grupo { $group }; los grupos son: { $groups }.
# A command's group option names a group, but no event file has a group.
reply-no-groups = No hay eventos en el grupo { $group }; ningún archivo de evento indica un `group:`.
# A paging button of a group's list whose group has no events any more.
reply-group-gone = El grupo de esta lista ya no tiene eventos.
# A command used where several sites answer, without the site option: $sites lists them.
reply-choose-site = Este servidor tiene varios sitios: { $sites }. Elige uno con la opción `sitio`.
# The site option names no site of this server: $site is what was typed, $sites the names.
reply-unknown-site = Este servidor no tiene ningún sitio llamado { $site }. Sus sitios son: { $sites }.
# A command that failed for a reason of crier's own.
reply-failed = Lo sentimos, algo salió mal.
# The title of a list narrowed to one group: $title is the list's own title.
list-in-group = { $title } en { $group }
# The title of the list of speakers (/speakers without a name).
list-speakers = Ponentes de los próximos eventos
# The title of /talks: the event's title.
list-talks = Charlas: { $event }
# A list with nothing on this page.
list-nothing = No hay nada que mostrar.
# The footer of a long list: which page this is.
list-page = Página { $page } de { $pages }
# The button to the previous page of a list.
button-previous = Anterior
# The button to the next page of a list.
button-next = Siguiente

## Slash commands as members see them in Discord. A command's or an option's name is lower case,
## one word (letters, digits, - and _), at most 32 characters, and no two commands (or two options
## of one command) share one; a description is at most 100 characters.

# The /upcoming command.
command-upcoming = próximos
    .description = Los próximos eventos, del más cercano al más lejano
# The /next command.
command-next = siguiente
    .description = El siguiente evento, con todos los detalles
# The /event command.
command-event = evento
    .description = Un evento, buscado por su título, con todos los detalles
# The /talks command.
command-talks = charlas
    .description = Las charlas de un evento, con sus resúmenes y grabaciones
# The /speakers command.
command-speakers = ponentes
    .description = Los ponentes de los próximos eventos, o las charlas de un ponente
# The /crier command, for the server's managers.
command-crier = crier
    .description = Los comandos propios de crier
# The /crier status command.
command-crier-status = estado
    .description = Eventos cargados, problemas en los archivos, próximos anuncios
# The group option of every command.
option-group = grupo
    .description = Solo los eventos de este grupo (el group: de los archivos de eventos)
# The site option of every command, where a server has several sites ([[sites]]).
option-site = sitio
    .description = De cuál de los sitios (comunidades) de este servidor responder
# The count option of /upcoming.
option-count = cantidad
    .description = Cuántos eventos, de 1 a 10 (por defecto: todos, 10 por página)
# The name option of /event.
option-event-name = nombre
    .description = El título del evento
# The event option of /talks.
option-talks-event = evento
    .description = El título del evento (por defecto: el siguiente)
# The name option of /speakers.
option-speaker-name = nombre
    .description = El nombre de un ponente
