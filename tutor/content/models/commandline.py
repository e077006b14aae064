"""Grade a typed command by parsing it (shlex), never by running it or comparing strings.

`docker run -d -p 8080:80 nginx` and `docker container run --publish 8080:80 --detach nginx`
are the same answer: the rule names the program, the subcommand, the required options
(with values) and the positionals, and the parsed command is compared with it.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, StringConstraints

from tutor.content.models.base import Strict, Text


class OptionRule(Strict):
    """A required option: any of its names, with the value when it takes one."""

    names: Annotated[list[Annotated[str, StringConstraints(pattern=r"^--?[A-Za-z0-9]")]], Field(min_length=1)]
    value: str | list[str] | None = None
    contains: list[str] = Field(
        default_factory=list,
        description="Text the value must contain, for values written many ways "
        "(`subnet-0abc` in any spelling of --network-configuration).",
    )

    @property
    def values(self) -> list[str]:
        if self.value is None:
            return []
        return [self.value] if isinstance(self.value, str) else list(self.value)


class CommandRule(Strict):
    program: Text
    subcommand: list[str] = Field(default_factory=list)
    aliases: list[list[str]] = Field(
        default_factory=list,
        description="Other spellings of the subcommand, e.g. [container, run].",
    )
    options: list[OptionRule] = Field(default_factory=list)
    positionals: list[str] = Field(default_factory=list)
    takes_value: list[str] = Field(
        default_factory=list, description="Other options that consume the next word as their value."
    )
    allow_extra: bool = Field(True, description="Accept options the rule does not mention.")


# Options that consume the next word: COMMAND[, COMMAND]: OPTIONS, where a command is a program
# and a subcommand, or a program alone for all its subcommands. Without this table `--name web`
# would leave `web` looking like the image name.
_VALUE_OPTIONS_TABLE = """
docker run, docker create:
    -p --publish -e --env --env-file -v --volume --mount --name --network --net --restart -m
    --memory --memory-swap --memory-reservation --cpus --cpu-shares -c --cpuset-cpus -u --user -w
    --workdir --entrypoint -l --label --label-file --health-cmd --health-interval --health-retries
    --health-timeout --health-start-period -h --hostname --log-driver --log-opt --platform --pull
    --add-host --dns --expose --tmpfs --ulimit --cap-add --cap-drop --device --security-opt
    --stop-signal --stop-timeout --ip --network-alias --cidfile --gpus --pid --ipc --userns --link
    --pids-limit --shm-size --volumes-from --annotation
docker build:
    -t --tag -f --file --build-arg --target --platform --label --network --cache-from --cache-to
    --progress -o --output --secret --ssh --iidfile --add-host --shm-size
docker exec: -e --env --env-file -u --user -w --workdir
docker logs: --since --until -n --tail
docker ps: -f --filter --format -n --last
docker images: -f --filter --format
docker inspect: -f --format --type
docker network: -d --driver --subnet --gateway --ip-range -o --opt --label --alias --ip --ipv6
docker volume: -d --driver -o --opt --label -f --filter --format
docker stop, docker restart: -t --time --timeout -s --signal
docker kill: -s --signal
docker login: -u --username -p --password
docker push, docker pull: --platform
docker update: -m --memory --memory-swap --cpus --cpu-shares --restart --pids-limit
docker compose: -f --file -p --project-name --profile --env-file
docker commit: -a --author -c --change -m --message
docker service:
    --name --replicas -p --publish -e --env --network --mode --constraint --mount
    --update-parallelism --update-delay --limit-cpu --limit-memory --reserve-cpu --reserve-memory
    --restart-condition --secret --config --image --label
docker swarm: --advertise-addr --listen-addr --token --availability
docker stack: -c --compose-file
docker secret: -l --label -d --driver
kubectl:
    -f --filename -n --namespace -o --output --image --replicas --port --target-port --type -l
    --selector --context -c --container --name --cluster --kubeconfig --protocol
eksctl:
    --name -n --region -r --nodegroup-name --node-type --nodes --nodes-min --nodes-max --version -f
    --config-file --cluster --namespace
eb:
    -p --platform -r --region -i --instance_type -c --cname -k --keyname -l --label --envvars -s
    --scale --profile -m --message
"""


def _value_options(table: str) -> dict[tuple[str, str], frozenset[str]]:
    """The table above as (program, subcommand) -> options; an entry goes on over indented lines."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for entry in re.split(r"\n(?=\S)", table.strip()):
        commands, _, options = entry.partition(":")
        for command in commands.split(","):
            program, _, sub = command.strip().partition(" ")
            found[(program, sub)] = frozenset(options.split())
    return found


_VALUE_OPTIONS = _value_options(_VALUE_OPTIONS_TABLE)

# Docker's management-command spellings of the classic commands.
_DOCKER_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("container", "run"): ("run",),
    ("container", "create"): ("create",),
    ("container", "ls"): ("ps",),
    ("container", "list"): ("ps",),
    ("container", "ps"): ("ps",),
    ("container", "rm"): ("rm",),
    ("container", "remove"): ("rm",),
    ("container", "start"): ("start",),
    ("container", "stop"): ("stop",),
    ("container", "restart"): ("restart",),
    ("container", "kill"): ("kill",),
    ("container", "logs"): ("logs",),
    ("container", "exec"): ("exec",),
    ("container", "inspect"): ("inspect",),
    ("container", "update"): ("update",),
    ("container", "commit"): ("commit",),
    ("image", "build"): ("build",),
    ("builder", "build"): ("build",),
    ("buildx", "build"): ("build",),
    ("image", "ls"): ("images",),
    ("image", "list"): ("images",),
    ("image", "rm"): ("rmi",),
    ("image", "remove"): ("rmi",),
    ("image", "pull"): ("pull",),
    ("image", "push"): ("push",),
    ("image", "tag"): ("tag",),
    ("image", "inspect"): ("inspect",),
}
_DOCKER_LONG: dict[tuple[str, ...], list[list[str]]] = {}  # the classic spelling -> the others
for _long, _short in _DOCKER_ALIASES.items():
    _DOCKER_LONG.setdefault(_short, []).append(list(_long))
# After the image (run/create) or the container (exec), the remaining words belong to it.
_OPTIONS_END_AFTER_FIRST_ARG = {("docker", "run"), ("docker", "create"), ("docker", "exec")}
# The AWS CLI: every --option takes a value except these switches.
_AWS_FLAGS = frozenset(
    "--no-paginate --debug --no-verify-ssl --no-sign-request --dry-run --no-dry-run --force "
    "--image-scanning-configuration --no-cli-pager --password-stdin --recursive --all".split()
)


@dataclass
class ParsedCommand:
    program: str
    subcommand: tuple[str, ...]
    options: list[tuple[str, str | None]] = field(default_factory=list)
    positionals: list[str] = field(default_factory=list)


class CommandSyntaxError(ValueError):
    pass


_SHLEX_SPECIAL = re.compile(r"['\"\\]")  # quotes and the escape: the only words shlex reads
_SHLEX_SPACE = re.compile("[ \t\r\n]+")  # shlex's whitespace (not str.split's)


def _words(text: str) -> list[str]:
    """`shlex.split(text)`; without quotes or backslashes, the same words by one regex split."""
    text = text.strip()
    if _SHLEX_SPECIAL.search(text) is None:
        words = [w for w in _SHLEX_SPACE.split(text) if w]
    else:
        try:
            words = shlex.split(text, comments=False)
        except ValueError as exc:  # unbalanced quotes
            raise CommandSyntaxError(f"the command cannot be read: {exc}") from None
    while words and words[0] in ("$", "#", "sudo"):
        words = words[1:]
    if not words:
        raise CommandSyntaxError("the answer is empty")
    return words


def parse(rule: CommandRule, text: str) -> ParsedCommand:
    return _parse(rule, _words(text))


def _parse(rule: CommandRule, words: list[str]) -> ParsedCommand:
    program = os.path.basename(words[0])
    rest = words[1:]
    sub = _match_subcommand(rule, program, rest)
    canonical = tuple(rule.subcommand) if sub is not None else ()
    after = rest[len(sub) :] if sub is not None else rest
    parsed = ParsedCommand(program, tuple(sub) if sub is not None else ())
    key = (program, canonical[0] if canonical else "")
    value_opts = set(_VALUE_OPTIONS.get(key, ())) | set(_VALUE_OPTIONS.get((program, ""), ()))
    value_opts |= set(rule.takes_value)
    for opt in rule.options:
        if opt.value is not None or opt.contains:
            value_opts.update(opt.names)
    stop_after_first = key in _OPTIONS_END_AFTER_FIRST_ARG
    i = 0
    options_done = False
    while i < len(after):
        word = after[i]
        i += 1
        if options_done or word == "-" or not word.startswith("-"):
            if word != "--" or options_done:
                parsed.positionals.append(word)
            if stop_after_first and not options_done:
                options_done = True
            continue
        if word == "--":
            options_done = True
            continue
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            if eq:
                parsed.options.append((name, value))
            elif _takes_value(program, name, value_opts, after, i):
                parsed.options.append((name, after[i]))
                i += 1
            else:
                parsed.options.append((name, None))
            continue
        # A cluster of short options: -dp 8080:80, -it, -p8080:80
        letters = word[1:]
        for j, ch in enumerate(letters):
            name = f"-{ch}"
            if name in value_opts:
                tail = letters[j + 1 :]
                if tail:
                    parsed.options.append((name, tail.removeprefix("=")))
                elif i < len(after):
                    parsed.options.append((name, after[i]))
                    i += 1
                else:
                    parsed.options.append((name, None))
                break
            parsed.options.append((name, None))
    return parsed


def _takes_value(program: str, name: str, value_opts: set[str], words: list[str], i: int) -> bool:
    if i >= len(words):
        return False
    if name in value_opts:
        return True
    if program == "aws" and name not in _AWS_FLAGS:
        return not words[i].startswith("--")
    return False


def _match_subcommand(rule: CommandRule, program: str, rest: list[str]) -> list[str] | None:
    """The words of `rest` that spell the rule's subcommand (or an alias), or None."""
    spellings = [list(rule.subcommand), *(list(a) for a in rule.aliases)]
    if program == "docker":
        spellings.extend(_DOCKER_LONG.get(tuple(rule.subcommand), ()))
    for spelling in sorted(spellings, key=len, reverse=True):
        if rest[: len(spelling)] == spelling:
            return spelling
    return None


def explain_mismatch(rule: CommandRule, text: str) -> str | None:
    """None when `text` satisfies the rule; otherwise why not, in a learner's words."""
    try:
        words = _words(text)
    except CommandSyntaxError as exc:
        return str(exc)
    program = os.path.basename(words[0])
    if program != rule.program:
        return f"the command should start with `{rule.program}`, not `{program}`"
    if _match_subcommand(rule, program, words[1:]) is None:
        want = " ".join([rule.program, *rule.subcommand])
        return f"the command should be `{want} ...`"
    parsed = _parse(rule, words)
    used = [False] * len(parsed.options)
    for opt in rule.options:
        hit = _find_option(opt, parsed.options, used)
        if hit is None:
            names = "/".join(opt.names)
            present = [v for n, v in parsed.options if n in opt.names]
            if present and opt.values:
                return f"{names} is given {present[0]!r}, but the task needs {opt.values[0]!r}"
            if present and opt.contains:
                lacking = [c for c in opt.contains if c not in (present[0] or "")]
                return f"{names} is given {present[0]!r}, which lacks {lacking[0]!r}"
            need = f" {opt.values[0]}" if opt.values else ""
            return f"the option {names}{need} is missing"
        used[hit] = True
    if not rule.allow_extra:
        extra = [n for (n, _), u in zip(parsed.options, used, strict=True) if not u]
        if extra:
            return f"the option {extra[0]} is not needed here"
    if parsed.positionals != list(rule.positionals):
        want = " ".join(rule.positionals) or "nothing"
        got = " ".join(parsed.positionals) or "nothing"
        return f"after the options the command should name {want}, but it names {got}"
    return None


def _find_option(rule: OptionRule, options: list[tuple[str, str | None]], used: list[bool]) -> int | None:
    for idx, (name, value) in enumerate(options):
        if used[idx] or name not in rule.names:
            continue
        if rule.values and value not in rule.values:
            continue
        if rule.contains and not all(c in (value or "") for c in rule.contains):
            continue
        return idx
    return None


def matches(rule: CommandRule, text: str) -> bool:
    return explain_mismatch(rule, text) is None
