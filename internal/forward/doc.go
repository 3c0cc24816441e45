// Package forward recovers the messages a person forwarded inside the text
// body of an email: who wrote each one (From, To, Cc), when (Date), its
// Subject and its body, plus the forwarder's own text above the first one.
//
// Mail clients do not forward by any standard. RFC 5322 section 3.6.6 defines
// Resent-* fields for re-sending a message whole, and RFC 2046 section 5.2.1
// defines message/rfc822 for attaching one; both are handled elsewhere (by the
// MIME reader). What people actually send is a text body where the client
// wrote the old message's header fields as prose, in the user's language:
//
//   - Gmail, HubSpot, Missive: "---------- Forwarded message ---------"
//     followed by "From:", "Date:", "Subject:", "To:" and "Cc:" lines;
//   - Outlook desktop, web and mobile: a rule of underscores or
//     "-----Original Message-----", or nothing at all, then "From:", "Sent:",
//     "To:", "Cc:", "Subject:" lines;
//   - Apple Mail: "Begin forwarded message:" and a quoted header block;
//   - Thunderbird: "-------- Forwarded Message --------" and a header table;
//   - Yahoo: the separator and all header fields run together on one line;
//   - Outlook for Mac: a reply-style "On <date>, <name> <addr> wrote:" line
//     over an indented body, recognisable as a forward only by the subject.
//
// Labels, separators, month and weekday names are known in about thirty
// languages. Header values follow RFC 5322 address syntax loosely: display
// names may carry unquoted commas ("Doe, John <john@example.com>"), lists are
// separated by "," or ";", and Outlook's "Name [mailto:addr]" and the
// "addr<mailto:addr>" left by HTML-to-text conversion are understood. Dates are
// parsed from the localised forms the clients print, not only RFC 5322
// date-time; a date without a zone is read in the location the caller gives
// (see [ParseIn]).
//
// The parser never panics, runs in time linear in the size of the body, and
// bounds what it keeps: at most [MaxBodySize] bytes are examined and at most
// [MaxMessages] forwarded messages are returned.
package forward
