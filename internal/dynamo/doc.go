// Package dynamo implements coaching.Store on one DynamoDB table (single-table
// design) with aws-sdk-go-v2.
//
// # Table
//
// Partition key PK and sort key SK (strings); global secondary indexes GSI1
// (GSI1PK, GSI1SK) and GSI2 (GSI2PK, GSI2SK), both projecting all
// attributes; time to live on ttl (epoch seconds). Table returns the
// definition, CreateTable makes it; the CDK app declares the same.
//
// Times in keys are RFC 3339 in UTC with nine fractional digits
// (2036-03-03T09:00:00.000000000Z), fixed width, so that lexical order is
// time order; times in attributes are stored the same way, so conditions can
// compare them as strings. Key parts that callers supply (ids, addresses,
// calendar UIDs, Message-IDs) are limited to 512 bytes: longer ones are
// EINVALID when written and not found when looked up. All keys are built in
// keys.go.
//
// # Items
//
//	item              PK                  SK                               GSI1PK / GSI1SK                      GSI2PK / GSI2SK              ttl
//	coach             COACH#<id>          COACH                            -                                    -                            -
//	coach address     ADDR#<address>      COACH                            -                                    -                            -
//	leader            LEADER#<id>         LEADER                           COACH#<coach> / LEADER#<id>          -                            -
//	leader address    ADDR#<address>      LEADER                           -                                    -                            -
//	suppression       ADDR#<address>      SUPPRESSION                      -                                    -                            -
//	session           SESSION#<id>        SESSION                          COACH#<coach> / SESSION#<start>#<id> -                            -
//	leader's session  LEADER#<leader>     SESSION#<start>#<session>        -                                    -                            -
//	calendar event    CAL#<uid>           RID#<recurrence id>              -                                    -                            -
//	outcome           SESSION#<session>   OUTCOME#<at>#<message>#<nnnn>    -                                    -                            -
//	commitment        LEADER#<leader>     COMMIT#<created>#<id>            -                                    LEADER#<leader> / OPEN#<created>#<id> (open, not done)  -
//	scheduled email   EMAIL#<id>          EMAIL                            SESSION#<s> (else LEADER#, COACH#) / EMAIL#<due>#<id>  DUE#<0..15> / <due or lease end>#<id> (pending, claimed)  -
//	sent message      SENT#<Message-ID>   SENT                             LEADER#<l> (else SESSION#<s>) / SENT#<at>#<Message-ID>  TOKEN#<token> / SENT#<at>  Expires
//	inbound message   INBOUND#<SES id>    INBOUND                          LEADER#<l> / DELTA#<at>, FOCUS#<at>#<id> or INBOUND#<at>#<id>  -  Expires, unless it holds a focus answer or pending reports
//	message seen      SEEN#<fingerprint>  SEEN                             -                                    -                            Expires
//	quarantine        QUARANTINE#<id>     QUARANTINE                       LEADER#<l> / QUARANTINE#<at>#<id>    QUARANTINE / <at>#<id>       Expires
//	recurring series  SERIES#<uid>        SERIES                           -                                    SERIES / <top-up at>#<uid> (active)  a year after it ends
//
// A reply's focus answer and status reports are kept in the item of the
// inbound message they came in, so that the common reply (a focus answer
// and a few statuses) is one conditional PutItem. While its reports are not
// folded into the commitment items, the record sorts under its leader in
// GSI1 as DELTA#<at>; Compact folds them and moves it to FOCUS# (with a
// focus answer) or INBOUND#. Items leave an index, or move in it, by being
// written whole (a sent email leaves the due index, a closed commitment the
// open one, a compacted reply DELTA#): every write of an item is a full
// PutItem, never an UpdateItem with REMOVE.
//
// # Access patterns
//
//	pattern                               call                                     how
//	coach by id / by address              CoachByID, CoachByEmail                  GetItem COACH#; GetItem ADDR#/COACH, then GetItem COACH#
//	leader by id / by address             LeaderByID, LeaderByEmail                GetItem LEADER#/LEADER; GetItem ADDR#/LEADER, then the leader
//	leaders of a coach                    LeadersOfCoach                           Query GSI1 COACH#<c>, begins_with LEADER#
//	sessions of a leader by time          SessionsOfLeader                         Query LEADER#<l>, SK BETWEEN SESSION#<from> AND SESSION#<to>; BatchGetItem of the sessions
//	the coach's sessions by time          SessionsOfCoach                          Query GSI1 COACH#<c>, BETWEEN SESSION#<from> AND SESSION#<to>
//	session by id                         SessionByID                              GetItem SESSION#/SESSION
//	session by calendar UID (+ occurrence) SessionByCalendar                       GetItem CAL#<uid>/RID#<rid>, then the session
//	sessions of a calendar series         SessionsByCalendar                       Query CAL#<uid>; BatchGetItem of the sessions
//	commitments of a leader, oldest first Commitments(openOnly=false)              Query LEADER#<l>, begins_with COMMIT#; with it, Query GSI1 LEADER#<l>, begins_with DELTA#, folded in
//	open commitments of a leader          Commitments(openOnly=true)               Query GSI2 LEADER#<l>, begins_with OPEN#; with it, the same DELTA# Query, folded in
//	replies with reports not yet folded   Compact, Apply (full commitment writes)  Query GSI1 LEADER#<l>, begins_with DELTA#
//	focus answers of a leader, newest     FocusAnswers                             Query GSI1 LEADER#<l>, begins_with FOCUS#, descending, Limit; with it, the DELTA# Query
//	outcomes of a session                 Outcomes                                 Query SESSION#<s>, begins_with OUTCOME#
//	scheduled email by id                 EmailByID                                GetItem EMAIL#/EMAIL
//	scheduled emails of a session         EmailsOfSession                          Query GSI1 SESSION#<s>, begins_with EMAIL#
//	emails due before T                   DueEmails                                Query GSI2 DUE#<k>, GSI2SK < <T>$ for each shard k at once; merged by time
//	inbound message seen                  InboundByID, Apply's condition           GetItem INBOUND#/INBOUND
//	message seen, by sender + Message-ID  ClaimMessage                             conditional PutItem SEEN#<f>/SEEN; GetItem after a refusal
//	quarantine, newest first              Quarantined, QuarantineByID              Query GSI2 QUARANTINE descending; GetItem
//	sent message by Message-ID            SentRefByMessageID                       GetItem SENT#<Message-ID>/SENT
//	sent message by reply token           SentRefByToken                           Query GSI2 TOKEN#<t>, descending, Limit 1
//	suppression by address                Suppression                              GetItem ADDR#<a>/SUPPRESSION
//	series of a calendar UID              SeriesByUID                              GetItem SERIES#<uid>/SERIES
//	series whose horizon must move        SeriesToTopUp                            Query GSI2 SERIES, GSI2SK < <T>, Limit
//	everything of a leader (erase)        EraseLeader                              Query LEADER#<l>; Query GSI1 LEADER#<l>; per session of theirs Query SESSION#<s> and GSI1 SESSION#<s>
//
// No request path scans. Reads of the table are strongly consistent; reads of
// an index are not (DynamoDB does not offer it) and may miss a write of the
// last moment, which each method's doc notes. Commitments(openOnly=false)
// reads its items from the table but the reports of the last replies from
// GSI1, so it shows a reply's statuses once GSI1 has it (at once on DynamoDB
// Local and minidyn; within a second or so on DynamoDB).
//
// # Writes
//
// Creates are conditional on the key being new (attribute_not_exists), which
// is also what keeps addresses, calendar occurrences and Message-IDs unique
// and makes Apply idempotent: its inbound record is written only if new.
//
// A status report in a reply is a blind append: the reply's record carries
// it (commitment id, status, comment; time and session when they are not
// the reply's own), under no condition but the record's, and it becomes a
// history entry whose source is the message id. Reads fold the pending
// reports into the commitments in time order (a report already in the
// history, by source, is not folded again), each counting as a version, so
// that Commitments shows the Version the item will have once they are
// folded. Compact folds them into the items (a full write conditional on
// the item's Version) and then moves each reply whose reports are all in
// place out of DELTA#; it runs off the reply path (the dispatcher may call
// it for a leader before writing to them) and may run at any time or
// again. A full write of a commitment by Apply (a rewording, a new status
// from notes) first reads the leader's pending replies: the caller's Version
// must be the one reads show, the condition is on the item's own, and the
// pending reports are folded into what is written, so a full write never
// drops a report. Two replies on one commitment therefore never conflict;
// a rewrite from a read older than a reply does, and is retried.
// Coaches, leaders, sessions, commitments and scheduled emails carry a
// Version: an update is a full PutItem conditional on the stored Version
// being the caller's, and stores Version+1 (creates store 1). A change of
// several items is one TransactWriteItems; a change of one item is one plain
// conditional write, which DynamoDB charges half as much. When a transaction
// is cancelled, the error is that of the first item whose condition failed,
// and Apply lists its inbound record first: ECONFLICT "already handled" for a
// redelivered message, ECONFLICT naming the item otherwise.
//
// Scheduled emails are spread over DefaultDueShards partitions of GSI2 by a
// hash of their id, so that no single key carries every dispatcher write; a
// claimed email is in the due index at the end of its lease, so that a claim
// whose sender died becomes due again.
//
// # Capacity
//
// Every call asks for ReturnConsumedCapacity TOTAL; Usage and WriteUnits sum
// what the server reported, and WithUsageFunc passes each call's share on.
// DynamoDB counts index writes in it.
//
// Write units of the common replies, by DynamoDB's published rules (1 unit
// per KB of the larger of the old and new item, twice that for each item
// of a transaction; for each index entry added, changed or removed, 1 per
// KB, 2 when its key changes; index writes at the standard rate), with the
// items of BenchmarkApply (ids as long as real ones, an 88-character focus
// answer, comments on the statuses). DynamoDB Local 3.3.1 reports the same
// for plain writes, and 10 for each of these transactions, whatever their
// size.
//
//	reply                      as a transaction (before)       units   as one record (now)         units  record   Compact, later
//	focus answer               1 PutItem (record, GSI1)          2      the same                       2     792 B     -
//	focus answer + 1 status    transaction of 2 (+ GSI1, GSI2)   7      1 PutItem (record, GSI1)       2     784 B     6
//	focus answer + 2 statuses  transaction of 3                 10      1 PutItem                      2     831 B     8
//	focus answer + 3 statuses  transaction of 4                 14      1 PutItem                      2     877 B    11
//
// The inbound handler claims each message first (ClaimMessage: one PutItem
// of a SEEN# item under 1 KB with no index, 1 unit), so a reply costs 3
// units in all.
//
// A reply's record stays at 2 units while it is under 1 KB: with three
// statuses, a focus answer of up to about 230 bytes (320 without a status);
// a longer one makes it 4 (2 KB), as it did a focus answer alone before.
// Compact, off the reply path, spends per reply 3 units to move the record
// out of DELTA# (its table write and a changed GSI1 key), and per
// commitment with reports 1 for the item and 1 or 2 for its GSI2 entry (2
// when it closes); replies on one commitment between two runs share its
// write.
package dynamo
