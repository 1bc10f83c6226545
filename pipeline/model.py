"""Plain data passed between stages.

This module imports nothing of the package: every stage depends on it and it
depends on no stage. Objects are created by one stage and read by the next;
a later stage derives new objects rather than mutating earlier ones.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# A row of cell texts. None marks a merged slot (the text sits in the cell it
# is merged with); "" marks a blank cell.
Row = list[Optional[str]]


@dataclass
class Document:
    """What a reader saw, before any form knowledge: rows of cleaned cells."""

    path: str
    format: str
    sha256: str
    rows: list[Row]
    encoding: Optional[str] = None
    pages: Optional[int] = None
    # other tables the file holds (a workbook's sheets): (name, rows); `rows` is one of them
    parts: list[tuple[str, list[Row]]] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    """A number as the form states it; `decimals` keeps the stated rounding."""

    value: float
    raw: str
    decimals: int = 0


@dataclass(frozen=True)
class Quantity:
    """A parsed figure with its unit: 230多条 -> value 230, unit 条, range (230, 240)."""

    value: float
    unit: Optional[str]
    raw: str
    decimals: int = 0
    range: Optional[tuple[Optional[float], Optional[float]]] = None
    approx: bool = False
    comparator: Optional[str] = None


@dataclass
class Budget:
    """The figures of the budget block, in the report's money unit."""

    initial: Optional[Figure] = None
    adjusted: Optional[Figure] = None
    actual: Optional[Figure] = None
    adjustment: Optional[Figure] = None
    completion_rate: Optional[Figure] = None
    adjustment_rate: Optional[Figure] = None
    parts: list[tuple[str, Figure]] = field(default_factory=list)
    # a narrative's fund block (计划安排 / 实际到位 / 实际支出 / 结余): funds received, and what is left
    received: Optional[Figure] = None
    balance: Optional[Figure] = None


@dataclass
class Indicator:
    """One key-indicator row. Project-template columns stay None elsewhere."""

    id: str
    section: str
    name: str
    raw: str
    value: Optional[float]
    unit: Optional[str]
    quantity: Optional[Quantity] = None
    level1: Optional[str] = None
    level2: Optional[str] = None
    target_raw: Optional[str] = None
    target: Optional[Quantity] = None
    weight: Optional[Figure] = None
    score: Optional[Figure] = None
    deviation: Optional[str] = None
    # the narrative section whose claims speak of this indicator (default: its own section)
    pool: Optional[str] = None


@dataclass
class Section:
    """A narrative cell or heading block whose quantities become claims."""

    name: str
    kind: str  # task | project | overall | goal | plan | problems | narrative
    text: str


@dataclass
class Task:
    name: str
    expected: str
    narrative: str
    funds: Optional[Figure]
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class FundRow:
    """项目支出 template: one source line of 项目资金 (年度资金总额, 财政拨款 …)."""

    label: str
    total: bool = False  # 年度资金总额 rather than one of its sources
    initial: Optional[Figure] = None
    budget: Optional[Figure] = None
    executed: Optional[Figure] = None
    weight: Optional[Figure] = None
    rate: Optional[Figure] = None
    score: Optional[Figure] = None


@dataclass
class Report:
    """The form understood: what a reviewer would fill in from reading it."""

    template: str
    kind: str = ""
    title: str = ""
    department: Optional[str] = None
    year: Optional[int] = None
    money_unit: str = "万元"
    budget: Budget = field(default_factory=Budget)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    funds: list[FundRow] = field(default_factory=list)
    total_score: Optional[Figure] = None
    total_weight: Optional[Figure] = None
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # budget figures a narrative report states in prose: budget key -> the claim id it was read from
    budget_claims: dict[str, str] = field(default_factory=dict)


@dataclass
class Claim:
    """A quantity the narrative states, with where it stands and what it counts."""

    id: str
    section: str
    text: str
    subject: str
    value: float
    unit: str
    span: tuple[int, int]
    range: Optional[tuple[Optional[float], Optional[float]]] = None
    approx: bool = False
    decimals: int = 0
    sentence: int = 0
    item: int = 0
    role: Optional[str] = None  # total | subset
    parent: Optional[str] = None  # the claim a subset belongs to
    exhaustive: bool = False
    members: Optional[int] = None  # names listed right after a count (下设8个：A、B…), or right before it
    members_at: str = ""  # where the names stand: "" after a colon, "before" the count (A、B、C3家), "brackets" (13宗（A、B…）)
    words: tuple[str, ...] = ()  # what the subject itself says is counted
    context: tuple[str, ...] = ()  # words a part inherits from its total (其中 …)
    number_span: tuple[int, int] = (0, 0)
    closes: bool = False  # a total right after the last item of a list, closing it (A、B，共计…)
    # what the figure states, read from its subject: budget | execution | balance (结余, 结转) |
    # change (同比增加) | standard (每人每月…元, 元/人) | share (占比) | None
    kind: Optional[str] = None
    # how many parts the sentence announces for this total (二类支出, 两个部分), when it does
    announced: Optional[int] = None
    # the period the clause names before the figure (2023年, 上年), when it names one
    period: Optional[str] = None

    @property
    def before_figure(self) -> str:
        """The claim's text before its number (比上年减少 of 比上年减少412.3万元): the words that say
        what the figure is, read by the checks."""
        return self.text[:max(0, self.number_span[0] - self.span[0])]


@dataclass
class Finding:
    """One check made, as data: the rule, what was compared, and whether it held.

    The sentence a reviewer reads is rendered from `code` (the message's key in
    the catalogue, the rule itself when empty) and `params` by the output layer.
    """

    rule: str
    status: str  # consistent | mismatch | unverified
    severity: str = "info"  # info | warning | error
    indicator: Optional[str] = None
    claims: list[str] = field(default_factory=list)
    expected: Optional[float] = None
    reported: Optional[float] = None
    code: str = ""
    params: dict = field(default_factory=dict)
    id: str = ""


@dataclass
class Verdict:
    """An indicator's status against the narrative; its note is rendered from code and params."""

    indicator: str
    status: str  # consistent | mismatch | unverified | qualitative
    evidence: list[str] = field(default_factory=list)
    code: str = ""
    params: dict = field(default_factory=dict)


@dataclass
class CheckResult:
    document: Document
    report: Report
    claims: list[Claim]
    verdicts: dict[str, Verdict]
    findings: list[Finding]
    version: str = ""  # the package version that checked it
    fingerprint: str = ""  # Settings.fingerprint of the settings it was checked with
    # how many numbers the narrative holds, became claims, were set aside (and why) or checked
    coverage: Optional[dict] = None

    @property
    def mismatches(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "mismatch"]
