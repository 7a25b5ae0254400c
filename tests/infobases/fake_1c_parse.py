"""The strict fakes' command-line parser: a tool's command tree (onec_trees/*.json) decides what
is refused. Used by fake_1c.py (see its docstring)."""

from __future__ import annotations

import re


class Refused(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _canonical(options: dict, token: str) -> str | None:
    if token in options:
        return token
    for name, spec in options.items():
        if token in spec.get("aliases", ()):
            return name
    return None


def parse_gnu(tree: dict, argv: list[str]) -> tuple[list[str], dict, list[str]]:
    """ibcmd and rac: mode, command words, options (scoped from their node on), arguments."""
    usage = tree["exit_codes"]["usage"]
    scopes = [tree.get("global_options", {})]
    required: list[str] = []
    node = {"commands": tree["modes"]}
    path: list[str] = []
    options: dict[str, str | bool] = {}
    args: list[str] = []
    long_only = tree["option_forms"] == ["--name=value"]
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token.startswith("-") and len(token) > 1:
            name, eq, value = token.partition("=")
            known = {k: v for scope in scopes for k, v in scope.items()}
            canonical = _canonical(known, name)
            if canonical is None:
                raise Refused(f"Неизвестный параметр: {name}", usage)
            if canonical in options:
                raise Refused(f"Параметр указан повторно: {canonical}", usage)
            spec = known[canonical]
            if spec["value"] and not eq:
                if long_only or i >= len(argv):
                    raise Refused(f"Не задано значение параметра: {name}", usage)
                value = argv[i]
                i += 1
            elif not spec["value"] and eq:
                raise Refused(f"Параметр {name} не имеет значения", usage)
            if "choices" in spec and value not in spec["choices"]:
                raise Refused(f"Некорректное значение параметра: {canonical[2:]}", usage)
            options[canonical] = value if spec["value"] else True
            continue
        commands = node.get("commands", {})
        if token in commands and not args:
            node = commands[token]
            path.append(token)
            scopes.append(node.get("options", {}))
            required += node.get("required", [])
            continue
        if commands and "args" not in node and not (tree.get("address_argument") and path):
            what = "режим" if not path else "команда"
            raise Refused(f"Неизвестная {what}: {token}", usage)
        args.append(token)
    if not path:
        raise Refused("Не задан режим работы", usage)
    if "commands" in node and "args" not in node:
        raise Refused(f"Не задана команда режима {' '.join(path)}", usage)
    low, high = node.get("args", [0, 0])
    address = args and re.fullmatch(r"[\w.-]+(:\d+)?", args[-1])
    if tree.get("address_argument") and address:  # rac's RAS host:port
        args = args[:-1]
    if not low <= len(args) <= high:
        raise Refused(f"Неверное число аргументов команды {' '.join(path)}: {len(args)}", usage)
    for name in required:
        if name not in options:
            raise Refused(f"Не задан обязательный параметр: {name}", usage)
    return path, options, args


def parse_single_dash(tree: dict, argv: list[str]) -> tuple[list[str], dict, list[str]]:
    """webinst and 1cv8: `-name value` / `/Name value` words; the mode or action is a word too."""
    usage = tree["exit_codes"]["usage"]
    if tree["tool"] == "webinst":
        mode_words, allowed = tree["actions"], dict(tree["options"])
        allowed.update({w: {"value": False} for w in tree["web_servers"]})
    else:
        mode_words, allowed = tree["modes"], None
    path, options, args = [], {}, []
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token in mode_words and not path:
            path.append(token)
            if allowed is None:
                allowed = mode_words[token]["options"]
            continue
        if allowed is None:
            raise Refused(f"Неизвестный режим запуска: {token}", usage)
        name, value = token, None
        if name not in allowed and name[:2] in ("/N", "/P") and name[:2] in allowed:
            name, value = token[:2], token[2:]
        if name not in allowed:
            raise Refused(f"Неизвестный параметр командной строки: {token}", usage)
        if name in options:
            raise Refused(f"Параметр указан повторно: {name}", usage)
        spec = allowed[name]
        if spec["value"] and value is None:
            if i >= len(argv):
                raise Refused(f"Не задано значение параметра {name}", usage)
            value = argv[i]
            i += 1
        extra = []
        for _ in range(spec.get("extra_args", 0)):
            extra.append(argv[i])
            i += 1
        options[name] = ([value, *extra] if extra else value) if spec["value"] else True
    if not path:
        if tree["tool"] == "webinst" and options:
            path = ["-publish"]  # webinst publishes when no action is given
        else:
            raise Refused("Не задан режим запуска", usage)
    spec = mode_words[path[0]]
    if tree["tool"] == "webinst" and not any(w in options for w in tree["web_servers"]):
        raise Refused("Не указан тип веб-сервера", usage)
    for name in spec.get("required", []):
        if name not in options:
            raise Refused(f"Не задан обязательный параметр {name}", usage)
    return path, options, args
