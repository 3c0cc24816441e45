// peers.js runs the npm peers on the corpus that peerbench hands it and
// times them in-process, so that Node's start-up is not counted.
//
//   node peers.js INPUT.json   -> JSON on stdout (outputs and ns per message)
//   node peers.js --startup    -> loads the packages and exits
//
// INPUT.json: {"replies": [text], "forwards": [{"body", "subject"}], "min_seconds": n}
"use strict";

const fs = require("fs");
const erp = require("email-reply-parser");
const efp = require("email-forward-parser");

const EmailReplyParser = erp.default || erp;
const EmailForwardParser = efp.default || efp;

// version reads a package's manifest from node_modules (some packages do
// not export it).
function version(pkg) {
  const p = require("path").join(__dirname, "node_modules", pkg, "package.json");
  return JSON.parse(fs.readFileSync(p, "utf8")).version;
}

if (process.argv[2] === "--startup") {
  new EmailReplyParser();
  new EmailForwardParser();
  process.stdout.write("{}\n");
  process.exit(0);
}

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const minNs = BigInt(Math.round((input.min_seconds || 1) * 1e9));

// timed runs fn over every item, in whole passes, until minNs has passed,
// after one untimed pass that warms the JIT up.
function timed(items, fn) {
  for (const it of items) fn(it);
  let passes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < minNs) {
    for (const it of items) fn(it);
    passes++;
    elapsed = process.hrtime.bigint() - start;
  }
  return { ns_per_msg: Number(elapsed) / (passes * items.length), passes };
}

const replyParser = new EmailReplyParser();
const reply = (t) => replyParser.parseReply(t);
const forwardParser = new EmailForwardParser();
const forward = (f) => forwardParser.read(f.body, f.subject);

const addr = (a) => (a ? { address: a.address || "", name: a.name || "" } : { address: "", name: "" });
const out = {
  versions: {
    node: process.version,
    "email-reply-parser": version("email-reply-parser"),
    "email-forward-parser": version("email-forward-parser"),
  },
  reply: {
    outputs: input.replies.map((t) => reply(t) || ""),
    ...timed(input.replies, reply),
  },
  forward: {
    outputs: input.forwards.map((f) => {
      const r = forward(f);
      const e = r.email || {};
      return {
        forwarded: !!r.forwarded,
        message: r.message || "",
        from: addr(e.from),
        to: (e.to || []).map(addr),
        cc: (e.cc || []).map(addr),
        subject: e.subject || "",
        body: e.body || "",
        date: e.date || "",
      };
    }),
    ...timed(input.forwards, forward),
  },
};
process.stdout.write(JSON.stringify(out) + "\n");
