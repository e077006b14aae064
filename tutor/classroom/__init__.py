"""The classroom: class packs evaluated against a learner's records (status), results exported
for an instructor (export), reports over many exports (report, csv/md/html), and JUnit XML for
autograders (junit). No Textual here."""
