## crier's messages in English. The comment above each message says where it appears.
## Copy a message into messages/en.ftl beside your config.toml to change its wording.

## The heading of each post: the first line of its text, and the footer of its Discord embed.

# A post about a new event.
post-new = New event
# A reminder before an event; $when says how soon it starts (see starts-in).
post-reminder = Reminder: { $when }
# A notice that an event moved, when its old date is not known.
post-rescheduled = Rescheduled
# A notice that an event moved; $was is its old date and time.
post-rescheduled-from = Rescheduled (was { $was })
# A notice that an event is cancelled.
post-cancelled = Cancelled
# A post that a talk's (or an event's) recording is online.
post-recording = Recording available
# The digest of upcoming events, and the title of /upcoming.
post-digest = Upcoming events

# How soon an event starts, in a reminder's heading and on each line of the digest. $unit is one of
# now, seconds, minutes, hours, tomorrow, days; $count is how many of them.
starts-in =
    { $unit ->
        [now] now
        [seconds]
            { $count ->
                [one] in one second
               *[other] in { $count } seconds
            }
        [minutes]
            { $count ->
                [one] in one minute
               *[other] in { $count } minutes
            }
        [hours]
            { $count ->
                [one] in one hour
               *[other] in { $count } hours
            }
        [tomorrow] tomorrow
       *[days]
            { $count ->
                [one] in one day
               *[other] in { $count } days
            }
    }

## The plain text of a post: what the console prints, and the text of a digest.

# The first line of a post's text: its heading, then the event's (or the talk's) title.
text-heading = { $heading }: { $title }
# How a series of events repeats, as its file writes it.
text-repeats = Repeats: { $rule }
# When the event starts: $date in the event's own time zone, named by $zone.
text-when = When: { $date } ({ $zone })
# Where the event is (see place-online, place-in-person, place-at).
text-where = Where: { $place }
# The event's language, as its file writes it.
text-language = Language: { $language }
# The event's registration link.
text-register = Register: { $url }
# A recording's speakers.
text-by = By: { $speakers }
# The event a recorded talk was given at, and its date.
text-at = At: { $event } ({ $date })
# One line of the digest: the event's date, title and how soon it starts.
digest-line = - { $date } — { $title } ({ $when })
# The digest, /upcoming and other lists when nothing is coming up.
digest-empty = Nothing scheduled yet.
# A recording link's label, in a recording post and in /talks.
recording = Recording
# The label of one of several recording links; $number counts them.
recording-numbered = Recording { $number }
# The label of a recording in one language; $language is its code (en, he, ...).
recording-in =
    { $language ->
        [en] Recording (English)
        [he] Recording (Hebrew)
       *[other] Recording ({ $language })
    }

## Where an event takes place: in a post's text and its embed's "Where" field.

# An online event.
place-online = online
# An event in person whose place the file does not name.
place-in-person = in person
# An event in person at $location.
place-at = in person, { $location }

## The fields and buttons of a Discord post, and of an event shown by /next and /event.

# When the event starts.
field-when = When
# When a moved event now starts.
field-now = Now
# When a moved event started before.
field-was = Was
# How a series repeats.
field-repeats = Repeats
# Where the event is.
field-where = Where
# The event's language.
field-language = Language
# The event a recorded talk was given at.
field-event = Event
# How many members marked the event as interested in the server's Events tab.
field-interested = Interested
# A date whose time is not known yet; $date is the date as Discord shows it.
time-to-be-announced = { $date }, time to be announced
# The first line of a cancelled event's post, and of /event for it.
event-cancelled = This event is cancelled.
# An event that is cancelled, in the digest and in lists.
title-cancelled = { $title } (cancelled)
# The button that opens an event's registration page.
button-register = Register
# The button that opens a recording.
button-watch = Watch

## The server's Events tab: the place of a scheduled event, where the file names none.

# An online event's place, with its registration link.
tab-online-at = Online: { $link }
# An online event's place, without a link.
tab-online = Online
# An event whose file names no place yet.
tab-place-unknown = To be announced

## Slash-command replies.

# /next when no event is coming up.
reply-no-upcoming = No upcoming events yet.
# /next when no event of the group $group is coming up.
reply-no-upcoming-in-group = No upcoming events in the group { $group } yet.
# /event when no event's title matches what the member typed ($query).
reply-no-event-match = No event matches “{ $query }”.
# /event when no event of the group $group matches $query.
reply-no-event-match-in-group = No event matches “{ $query }” in the group { $group }.
# /talks when there is no event to show (no upcoming one, or none matches).
reply-no-such-event = No such event.
# /talks for the group $group when there is no such event in it.
reply-no-such-event-in-group = No such event in the group { $group }.
# /talks for an event whose talks are not announced yet.
reply-no-talks-yet = No talks announced yet.
# /speakers when no talk is by the speaker the member named ($name).
reply-no-talks-by = No talks by “{ $name }”.
# /speakers when no talk of the group $group is by $name.
reply-no-talks-by-in-group = No talks by “{ $name }” in the group { $group }.
# A command's group option names a group no event has; $groups lists the groups there are.
reply-unknown-group = No events in the group { $group }; the groups are: { $groups }.
# A command's group option names a group, but no event file has a group.
reply-no-groups = No events in the group { $group }; no event file names a `group:`.
# A paging button of a group's list whose group has no events any more.
reply-group-gone = No events are in this list's group any more.
# A command used where several sites answer, without the site option: $sites lists them.
reply-choose-site = This server has several sites: { $sites }. Choose one with the `site` option.
# The site option names no site of this server: $site is what was typed, $sites the names.
reply-unknown-site = This server has no site called { $site }. Its sites are: { $sites }.
# A command that failed for a reason of crier's own.
reply-failed = Sorry, something went wrong.
# The title of a list narrowed to one group: $title is the list's own title.
list-in-group = { $title } in { $group }
# The title of the list of speakers (/speakers without a name).
list-speakers = Speakers of upcoming events
# The title of /talks: the event's title.
list-talks = Talks: { $event }
# A list with nothing on this page.
list-nothing = Nothing to show.
# The footer of a long list: which page this is.
list-page = Page { $page } of { $pages }
# The button to the previous page of a list.
button-previous = Previous
# The button to the next page of a list.
button-next = Next

## Slash commands as members see them in Discord. A command's or an option's name is lower case,
## one word (letters, digits, - and _), at most 32 characters, and no two commands (or two options
## of one command) share one; a description is at most 100 characters.

# The /upcoming command.
command-upcoming = upcoming
    .description = The upcoming events, soonest first
# The /next command.
command-next = next
    .description = The next event, in full
# The /event command.
command-event = event
    .description = One event, found by its title, in full
# The /talks command.
command-talks = talks
    .description = The talks of an event, with their abstracts and recordings
# The /speakers command.
command-speakers = speakers
    .description = The speakers of upcoming events, or one speaker's talks
# The /crier command, for the server's managers.
command-crier = crier
    .description = crier's own commands
# The /crier status command.
command-crier-status = status
    .description = Loaded events, file problems, the next announcements
# The group option of every command.
option-group = group
    .description = Only this group's events (the `group:` of the event files)
# The site option of every command, where a server has several sites ([[sites]]).
option-site = site
    .description = Which of this server's sites (communities) to answer from
# The count option of /upcoming.
option-count = count
    .description = How many events, 1 to 10 (default: all of them, 10 per page)
# The name option of /event.
option-event-name = name
    .description = The event's title
# The event option of /talks.
option-talks-event = event
    .description = The event's title (default: the next event)
# The name option of /speakers.
option-speaker-name = name
    .description = A speaker's name
