"""Typed answers (`short`, `command`): the prompt and the grader must ask for the same thing.

Only what can be checked mechanically: word counts the prompt promises, numbers, "without
options", "full command"; for commands, values the model answer types that the rule ignores,
and a few phrases ("in the background", "network configuration") that name a required option.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutor.content.lint.findings import Finding
from tutor.content.models.questions import CommandQuestion, Question, ShortAnswer

_ONE_WORD = re.compile(r"\b(one|single|1)[ -]word\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b(answer with|give|type) (the|a|only the) number\b|\bas a number\b", re.IGNORECASE)
_NO_OPTIONS = re.compile(r"\bwithout (any )?(options|flags)\b", re.IGNORECASE)
_FULL_COMMAND = re.compile(r"\b(full|whole|complete) command\b", re.IGNORECASE)
_NUMERIC = re.compile(
    r"^(\d[\d,]*(\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|sixteen|"
    r"twenty|thirty|sixty)([ -]?[a-z]+){0,2}$",
    re.IGNORECASE,
)
_LITERAL = re.compile(r"`([^`\n]+)`|\*\*([^*\n]+)\*\*")
_NEGATED = re.compile(r"\b(no|not|without|nor)\b", re.IGNORECASE)
# A phrase of the prompt -> option names one of which the rule must require.
_PHRASES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bin the background\b", re.IGNORECASE), ("-d", "--detach")),
    (re.compile(r"\bnetwork configuration\b", re.IGNORECASE), ("--network-configuration",)),
    (re.compile(r"\bkeep following\b|\bfollow (the )?(new )?output\b", re.IGNORECASE), ("-f", "--follow")),
    (re.compile(r"\bregion explicitly\b", re.IGNORECASE), ("--region",)),
)


def short_answer(q: Question) -> Iterator[Finding]:
    if not isinstance(q, ShortAnswer):
        return
    prompt = q.prompt
    for i, text in enumerate(q.accept):
        words = text.split()
        if _ONE_WORD.search(prompt) and len(words) > 1:
            yield _short(q, i, f"the prompt asks for one word but {text!r} is accepted", "drop it")
        elif _NUMBER.search(prompt) and not _NUMERIC.match(text.strip()):
            yield _short(q, i, f"the prompt asks for a number but {text!r} is accepted", "drop it")
        elif _NO_OPTIONS.search(prompt) and any(w.startswith("-") for w in words):
            yield _short(q, i, f"the prompt says without options but {text!r} has one", "drop it")
    if _FULL_COMMAND.search(prompt):
        firsts = {t.split()[0] for t in q.accept if t.split()}
        partial = [t for t in q.accept if len(t.split()) < 2 or t.split()[0] != q.accept[0].split()[0]]
        if len(firsts) > 1 or partial:
            yield _short(
                q,
                q.accept.index(partial[0]) if partial else 0,
                f"the prompt asks for the full command but {partial or sorted(firsts)} is accepted",
                "accept only the full command",
            )


def _short(q: ShortAnswer, i: int, message: str, fix: str) -> Finding:
    return Finding("prompt-grader", "question", q.id, ("accept", i), message, f"{fix}, or change the prompt")


def command_answer(q: Question) -> Iterator[Finding]:
    if not isinstance(q, CommandQuestion):
        return
    rule = q.rule
    names = {n for opt in rule.options for n in opt.names}
    checked = [rule.program, *rule.subcommand, *names, *rule.positionals]
    checked += [v for opt in rule.options for v in (*opt.values, *opt.contains)]
    checked += [w for alias in rule.aliases for w in alias]
    haystack = [c.casefold() for c in checked]
    command = " ".join([rule.program, *rule.subcommand]).casefold()
    example = q.example.casefold()
    for match in _LITERAL.finditer(q.prompt):
        literal = (match.group(1) or match.group(2)).strip().casefold()
        if not literal or literal not in example or literal.startswith(command):
            continue  # context only the prompt mentions, or the command itself
        if not any(literal in h for h in haystack):
            yield Finding(
                "prompt-grader",
                "question",
                q.id,
                ("rule",),
                f"the prompt gives {literal!r} and the example types it, but the rule never checks it",
                "add it as the `value` of the option that carries it (or as a positional)",
            )
    for phrase, options in _PHRASES:
        found = phrase.search(q.prompt)
        if found and _NEGATED.search(q.prompt[max(0, found.start() - 25) : found.start()]):
            continue  # "no launch type or network configuration is needed"
        if found and not names & set(options):
            yield Finding(
                "prompt-grader",
                "question",
                q.id,
                ("rule", "options"),
                f"the prompt asks for {found.group(0)!r} but the rule does not require "
                f"{' or '.join(options)}",
                "require the option in the rule, or drop the phrase from the prompt",
            )
