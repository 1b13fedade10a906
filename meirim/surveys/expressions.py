"""The XPath subset of XLSForm's ``relevant`` and ``constraint`` columns, evaluated on the
server (no ``eval``): ``${q}``, ``.``, strings, numbers, ``= != < > <= >=``, ``and``, ``or``,
``not()``, ``selected(${q}, 'x')``, ``count-selected(${q})``, ``true()``, ``false()``,
``string-length()`` and parentheses.

Values follow XPath 1.0 loosely: an unanswered question is the empty string; a comparison
with a number compares numbers (an empty or non-numeric side makes it false, and ``!=`` true);
``<``/``>`` always compare numbers; a select_multiple answer is its codes separated by spaces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = str | float | bool


class ExpressionError(ValueError):
    """The expression is not in the supported subset (the message is for the log; the
    upload turns it into a translated sentence naming the sheet, row and column)."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
      | (?P<number>-?\d+(?:\.\d+)?|-?\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\(|\)|,)
      | (?P<name>[A-Za-z_][\w\-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected text at {position}: {text[position:]!r}")
        position = match.end()
        if match.group("ref"):
            tokens.append(Token("ref", match.group("refname")))
        elif match.group("number"):
            tokens.append(Token("number", match.group("number")))
        elif match.group("string"):
            tokens.append(Token("string", match.group("string")[1:-1]))
        elif match.group("op"):
            tokens.append(Token("op", match.group("op")))
        elif match.group("name"):
            word = match.group("name")
            tokens.append(Token("word" if word in ("and", "or") else "name", word))
        else:
            tokens.append(Token("dot", "."))
    return tokens


# The parsed tree: tuples, so that a definition's expressions can be checked once at upload.
Node = tuple[Any, ...]

_FUNCTIONS: dict[str, int] = {
    "not": 1,
    "selected": 2,
    "count-selected": 1,
    "true": 0,
    "false": 0,
    "string-length": 1,
    "number": 1,
}


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("unexpected end")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.kind != "op" or token.text != text:
            raise ExpressionError(f"expected {text!r}, found {token.text!r}")

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r}")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while (token := self.peek()) and token.kind == "word" and token.text == "or":
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.comparison()
        while (token := self.peek()) and token.kind == "word" and token.text == "and":
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self) -> Node:
        node = self.primary()
        token = self.peek()
        if token and token.kind == "op" and token.text in ("=", "!=", "<", ">", "<=", ">="):
            self.take()
            node = ("cmp", token.text, node, self.primary())
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "ref":
            return ("ref", token.text)
        if token.kind == "dot":
            return ("dot",)
        if token.kind == "number":
            return ("lit", float(token.text))
        if token.kind == "string":
            return ("lit", token.text)
        if token.kind == "op" and token.text == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if token.kind == "name" and token.text in _FUNCTIONS:
            self.expect("(")
            arguments: list[Node] = []
            if not (self.peek() and self.peek() == Token("op", ")")):
                arguments.append(self.or_expr())
                while self.peek() == Token("op", ","):
                    self.take()
                    arguments.append(self.or_expr())
            self.expect(")")
            if len(arguments) != _FUNCTIONS[token.text]:
                raise ExpressionError(f"{token.text}() takes {_FUNCTIONS[token.text]} arguments")
            return ("call", token.text, *arguments)
        raise ExpressionError(f"unexpected {token.text!r}")


def parse(text: str) -> Node:
    """The tree of ``text``, or :class:`ExpressionError`."""
    return _Parser(tokenize(text)).parse()


def references(node: Node) -> set[str]:
    """The question names an expression reads."""
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            found |= references(part)
    return found


def as_text(value: Any) -> str:
    """An answer as XPath sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.strip()) if value.strip() else math.nan
    except ValueError:
        return math.nan


def _boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return value != ""


def _compare(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _boolean(left) == _boolean(right)
        elif isinstance(left, float) or isinstance(right, float):
            a, b = _number(left), _number(right)
            if math.isnan(a) or math.isnan(b):
                return op == "!="
            equal = a == b
        else:
            equal = left == right
        return equal if op == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    operations: dict[str, Callable[[float, float], bool]] = {
        "<": lambda x, y: x < y,
        ">": lambda x, y: x > y,
        "<=": lambda x, y: x <= y,
        ">=": lambda x, y: x >= y,
    }
    return operations[op](a, b)


def evaluate(node: Node, answers: Mapping[str, Any], current: Any = None) -> Value:
    kind = node[0]
    if kind == "lit":
        return node[1]  # type: ignore[no-any-return]
    if kind == "ref":
        return as_text(answers.get(node[1]))
    if kind == "dot":
        return as_text(current)
    if kind == "or":
        return _boolean(evaluate(node[1], answers, current)) or _boolean(
            evaluate(node[2], answers, current)
        )
    if kind == "and":
        return _boolean(evaluate(node[1], answers, current)) and _boolean(
            evaluate(node[2], answers, current)
        )
    if kind == "cmp":
        return _compare(
            node[1], evaluate(node[2], answers, current), evaluate(node[3], answers, current)
        )
    name, arguments = node[1], [evaluate(part, answers, current) for part in node[2:]]
    if name == "not":
        return not _boolean(arguments[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "selected":
        return as_text(arguments[1]).strip() in as_text(arguments[0]).split()
    if name == "count-selected":
        return float(len(as_text(arguments[0]).split()))
    if name == "string-length":
        return float(len(as_text(arguments[0])))
    return _number(arguments[0])  # number()


def holds(text: str, answers: Mapping[str, Any], current: Any = None) -> bool:
    """Whether ``text`` is true for these answers (an empty expression always is)."""
    if not text.strip():
        return True
    return _boolean(evaluate(parse(text), answers, current))
