//! The calendar feed: the catalog as an iCalendar (RFC 5545) file.
