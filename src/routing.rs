//! Routing: which channel (and with which rules) an event is announced in.
