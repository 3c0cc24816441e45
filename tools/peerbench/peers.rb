# peers.rb runs Discourse's email_reply_trimmer (Debian's
# ruby-email-reply-trimmer) on the reply corpus that peerbench hands it and
# times it in-process, so that Ruby's start-up is not counted.
#
#   ruby peers.rb INPUT.json   -> JSON on stdout (outputs and ns per message)
#   ruby peers.rb --startup    -> loads the library and exits
require "json"
require "email_reply_trimmer"

if ARGV[0] == "--startup"
  puts "{}"
  exit 0
end

input = JSON.parse(File.read(ARGV[0]))
texts = input.fetch("replies")
min_ns = (input.fetch("min_seconds", 1) * 1e9).to_i

# trim works on a copy: EmailReplyTrimmer.trim changes its argument.
def trim(text)
  EmailReplyTrimmer.trim(text.dup) || ""
end

outputs = texts.map { |t| trim(t) }
texts.each { |t| trim(t) }
passes = 0
start = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
elapsed = 0
while elapsed < min_ns
  texts.each { |t| trim(t) }
  passes += 1
  elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - start
end

spec = Gem.loaded_specs["email_reply_trimmer"]
puts JSON.generate(
  "versions" => { "ruby" => RUBY_VERSION, "email_reply_trimmer" => spec ? spec.version.to_s : "unknown" },
  "reply" => { "outputs" => outputs, "ns_per_msg" => elapsed.to_f / (passes * texts.length), "passes" => passes }
)
