# The reliability suites' figures in a test log, as one table (make test,
# make stress). Each suite prints lines that start with its name; the fuzz
# suites print a line per command ("  name  N cases  M ok {refusals}") and
# the full-disk suite a row per write path and limit, summed here.
function row(suite, figures) { printf "%-28s | %s\n", suite, figures }
BEGIN { row("suite", "figures"); printf "%-28s-+-%s\n", "----------------------------", "-------" }
/^crash: .*writes lost/ { sub(/^crash: /, ""); row("crash (SIGKILL rounds)", $0); next }
/^crash: in flight/ { sub(/^crash: /, ""); row("crash, in flight", $0); next }
/^two writers: / { sub(/^two writers: /, ""); row("two writers", $0); next }
/^idle lock during autosave: / { sub(/^idle lock during autosave: /, ""); row("idle lock during autosave", $0); next }
/^fuzz .*cases per command$/ { domains++; next }
/^  [a-z_]+ +[0-9]+ cases +[0-9]+ ok / { commands++; cases += $2; ok += $4; next }
/^(save-draft|sign|book|add-staff|backup|passphrase|sign-in) +(fsize-[0-9]+|read-only) / {
  paths++; if ($3 == "io") said++; else if ($3 == "saved") saved++; else other++; next
}
END {
  if (commands) row("fuzz", sprintf("%d domains, %d commands, %d cases: %d ok, %d typed refusals, 0 panics", domains, commands, cases, ok, cases - ok))
  if (paths) row("full disk, read-only folder", sprintf("%d write paths x limits: %d refused saying disk full or folder unwritable, %d saved through open files, %d other", paths, said, saved, other + 0))
}
