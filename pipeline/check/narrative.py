"""Figures inside the narrative that must agree with each other, read as a reviewer reads them.

- narrative.execution_rate: a rate beside an executed amount is that amount over the budget it
  names: the paragraph's budget (调整后 when both are stated), the earlier figure whose subject
  the executed one repeats (省级资金290.36万元 … 省级资金完成288.26万元，预算执行率99.28%), the
  figure just before it in its sentence, or the sources listed before the spending
  (拨入20万元；补助48.41万元。支出68.41万元，执行率100%);
- narrative.repeated: the same amount (执行数, 支出; 预算) stated twice in one paragraph, and
  narrative.restated: one long subject given two figures in one section;
- narrative.parts: the parts of a total (其中 …, in parentheses, across a sentence break) never
  exceed it, and parts that are complete add up to it: a partition by definition
  (lexicon.toml [[partitions]]), parts given as complete (分别为), a list closed by 其他, or as
  many parts as the sentence announces (二类支出);
- narrative.change: 同比增加X，增长Y%: Y is X over last year's figure (this year's less X);
- narrative.share: 良好案件20宗，占比20%: the share is the part over its total;
- narrative.members: a count against the names it lists.

Changes, balances (结余), standards (每人每月…元) and shares are never parts nor totals.
"""
from __future__ import annotations

import re

from itertools import groupby
from typing import Optional

from ..model import Claim, Finding
from .compare import EPS, Compare, amount_agrees, half_unit, rate_agrees

NOT_AMOUNTS = ("change", "standard", "share")


def role(c: Claim, lexicon, cmp: Compare, loose: bool = False) -> Optional[str]:
    """budget | execution | rate, when the subject is nothing but that role (项目全年预算 -> budget);
    `loose` also takes a subject that ends in one (耕地地力保护补贴项目预算). A part of a
    partition (项目支出, 基本支出) names its own thing, not the role."""
    if c.kind in NOT_AMOUNTS:
        return None
    fam = cmp.family(c.unit)
    if fam == "money" and _member_of_partition(c.subject, lexicon):
        return None
    subject = lexicon.strip_neutral(c.subject)
    for name, words in lexicon.roles.items():
        if subject in words or c.subject in words or (loose and c.subject.endswith(words)):
            if (name == "rate") == (fam == "percent") and (name == "rate" or fam == "money"):
                return name
    return None


def _member_of_partition(subject: str, lexicon) -> bool:
    return any(p.member(subject) is not None and p.total for p in lexicon.partitions
               if any(w == subject or subject.endswith(w) for g in p.parts for w in g))


def _finding(rule: str, ok: bool, claims: list[Claim], expected: float, reported: float, params: dict,
             code: str = "", severity: str = "error") -> Finding:
    return Finding(rule, "consistent" if ok else "mismatch", "info" if ok else severity, None,
                   [c.id for c in claims], expected, reported, code, params)


def _paragraphs(claims: list[Claim]):
    key = lambda c: (c.section, c.item)
    for _, group in groupby(sorted(claims, key=lambda c: (c.section, c.item, c.span[0])), key=key):
        yield list(group)


def check(claims: list[Claim], settings, skip: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """`skip`: claims another rule already checked as a triple (a narrative report's budget)."""
    cmp = Compare.of(settings)
    lex = settings.lexicon
    ulps = settings.rules.rates.extra_ulps
    out: list[Finding] = []
    rated: set[str] = set()  # rates another rule here has checked
    for para in _paragraphs(claims):
        roles = _roles(para, lex, cmp)
        if _several_sources(roles):
            # 中央补助资金…支出582万元，执行率97%；县级配套资金…支出578.9万元，执行率96.48%: each
            # source its own spending and rate, no amount stated twice, no one triple of the paragraph
            continue
        out.extend(_repeated(roles, cmp, para, lex))
        triple = _rate_triple(para, roles, lex, cmp)
        if triple and triple[2].id not in skip:
            out.extend(_execution_rate(*triple, cmp, ulps))
        if triple:
            rated.add(triple[2].id)
    for section in _sections(claims):
        out.extend(_named_rates(section, lex, cmp, ulps, rated))
        out.extend(_changes(section, lex, cmp, ulps))
    out.extend(_restated(claims, lex, cmp))
    out.extend(_parts(claims, cmp, lex))
    out.extend(_shares(claims, cmp, ulps))
    out.extend(_members(claims))
    return out


def _sections(claims: list[Claim]):
    for _, group in groupby(claims, key=lambda c: c.section):
        yield list(group)


def _roles(para: list[Claim], lexicon, cmp: Compare) -> dict[str, list[Claim]]:
    roles: dict[str, list[Claim]] = {}
    for c in para:
        if c.role == "subset":
            continue  # a part is never a second statement of its total (其中项目支出0万元)
        r = role(c, lexicon, cmp)
        if r:
            roles.setdefault(r, []).append(c)
    return roles


def _several_sources(roles: dict[str, list[Claim]]) -> bool:
    """Two spending figures or more, each followed in its own sentence by a rate."""
    execs, rates = roles.get("execution", []), roles.get("rate", [])
    return len(execs) >= 2 and len(rates) >= 2 and all(
        any(r.sentence == e.sentence and r.span[0] > e.span[0] for r in rates) for e in execs)


def _owned(c: Claim, para: list[Claim], lexicon, cmp: Compare) -> bool:
    """The amount is a named part's (三公经费年初预算11.5万元，实际支出9.25万元; 其中项目支出预算…，实际
    支出…): its sentence holds a part, or a budget before it whose subject names an owner besides
    the budget itself."""
    for o in para:
        if o.sentence != c.sentence or o is c:
            continue
        if o.role == "subset":
            return True
        if o.span[0] < c.span[0] and cmp.family(o.unit) == "money" and _owner(o, lexicon):
            return True
    return False


def _owner(budget: Claim, lexicon) -> str:
    """What a budget's subject names besides the budget: 三公经费 of 三公经费年初预算 ('' for 项目全年预算)."""
    subject = lexicon.strip_neutral(budget.subject)
    for w in sorted(lexicon.roles.get("budget", ()), key=len, reverse=True):
        if subject.endswith(w):
            return lexicon.strip_neutral(subject[: -len(w)]).strip("的")
    return ""


def _repeated(roles: dict[str, list[Claim]], cmp: Compare, para: list[Claim] = (), lexicon=None) -> list[Finding]:
    """The same amount (执行数, 支出; 预算) stated twice in one paragraph must agree (a named part's
    amount, 三公经费…实际支出9.25万元, is no second statement of the whole's)."""
    out = []
    for name in ("execution", "budget"):
        found = [c for c in roles.get(name, []) if lexicon is None or not _owned(c, para, lexicon, cmp)]
        first = found[0] if found else None
        for other in found[1:]:
            v = cmp.to_unit(other.value, other.unit, first.unit)
            ok = amount_agrees(first.value, v, max(first.decimals, other.decimals), 0)
            out.append(_finding("narrative.repeated", ok, [first, other], first.value, other.value,
                                {"role": name, "first": first.text, "other": other.text}))
    return out


def _rate_triple(para: list[Claim], roles: dict[str, list[Claim]], lexicon, cmp: Compare):
    """(budget, execution, rate) claims of a paragraph, or of one sentence that names a project's three
    (X项目预算120万元，执行数86.4万元，完成预算的72%); None when the three are not all there.
    Of two budgets the adjusted one (调整后预算) is the one a rate is measured against."""
    budgets, execs, rates = roles.get("budget", []), roles.get("execution", []), roles.get("rate", [])
    if not (budgets and execs and rates):
        for _, group in groupby(para, key=lambda c: c.sentence):
            found: dict[str, list[Claim]] = {}
            for c in group:
                if c.role == "subset":
                    continue
                r = role(c, lexicon, cmp, loose=True)
                if r:
                    found.setdefault(r, []).append(c)
            if all(found.get(k) for k in ("budget", "execution", "rate")):
                budgets, execs, rates = found["budget"], found["execution"], found["rate"]
                break
    if budgets and execs and rates:
        adjusted = [b for b in budgets if any(w in b.subject for w in lexicon.adjusted)]
        return (adjusted or budgets)[-1], execs[-1], rates[-1]
    return None


def _execution_rate(b: Claim | list[Claim], e: Claim, r: Claim, cmp: Compare, extra_ulps: int,
                    code: str = "") -> list[Finding]:
    sources = b if isinstance(b, list) else [b]
    bv = sum(cmp.to_unit(x.value, x.unit, e.unit) for x in sources)
    if not bv:
        return []
    exp = e.value / bv * 100
    ok = rate_agrees(exp, r.value, r.decimals, extra_ulps)
    params = {"rate": r.text, "executed": e.value, "executed_unit": e.unit, "budget": bv,
              "budget_unit": e.unit if len(sources) > 1 else sources[0].unit, "expected": exp}
    if len(sources) > 1:
        params.update(sources=[x.text for x in sources], terms=[x.value for x in sources])
    return [_finding("narrative.execution_rate", ok, sources + [e, r], round(exp, 2), r.value, params, code)]


def _is_rate(c: Claim, lexicon, cmp: Compare) -> bool:
    return cmp.family(c.unit) == "percent" and c.kind is None and role(c, lexicon, cmp, loose=True) == "rate"


def _exec_core(c: Claim, lexicon) -> Optional[str]:
    """省级资金完成 -> 省级资金: what an executed amount's subject names, without the verb of spending."""
    for v in lexicon.execution_verbs:
        if c.subject.endswith(v):
            return c.subject[: -len(v)].rstrip("的已共")
    return None


def _named_rates(section: list[Claim], lexicon, cmp: Compare, ulps: int, rated: set[str]) -> list[Finding]:
    """A rate right after an executed amount, against the budget that amount names."""
    out = []
    for k, r in enumerate(section):
        if r.id in rated or not _is_rate(r, lexicon, cmp):
            continue
        j = k - 1
        while j >= 0 and section[j].kind == "balance":
            j -= 1  # 支出68.41万元，结余0万元，执行率100%
        if j < 0 or cmp.family(section[j].unit) in ("percent", None) or section[j].role == "subset":
            continue
        e = section[j]
        core = _exec_core(e, lexicon)
        is_exec = core is not None or role(e, lexicon, cmp, loose=True) == "execution"
        if not is_exec:
            continue
        budget = _named_budget(section[:j], e, core, lexicon, cmp)
        if budget is None:
            continue
        sources = budget if isinstance(budget, list) else [budget]
        total = sum(cmp.to_unit(x.value, x.unit, e.unit) for x in sources)
        guessed = not (core and len(sources) == 1 and core.endswith(sources[0].subject))
        if guessed and (not total or e.value / total * 100 > 100.5 >= r.value):
            continue  # a figure read as the budget that would make the rate exceed 100% is no budget of it
        rated.add(r.id)
        out.extend(_execution_rate(budget, e, r, cmp, ulps))
    return out


def _named_budget(before: list[Claim], e: Claim, core: Optional[str], lexicon, cmp: Compare):
    """The budget an executed amount is measured against: the earlier figure whose subject its own
    repeats; else the figure just before it in its sentence; else the sources listed before it."""
    amounts = [c for c in before if cmp.compatible(c.unit, e.unit) and c.kind not in NOT_AMOUNTS + ("balance",)]
    if core:
        for c in reversed(amounts):
            name = c.subject
            if len(name) >= 3 and core.endswith(name) and _exec_core(c, lexicon) is None:
                return c
    if not amounts:
        return None
    last = amounts[-1]
    if before and before[-1] is last and last.sentence >= e.sentence - 1 and last.item == e.item \
            and _exec_core(last, lexicon) is None and role(last, lexicon, cmp, loose=True) != "execution" \
            and last.role != "subset" and not any(w in last.subject for w in lexicon.balance):
        run = [last]
        for c in reversed(before[:-1]):
            if c not in amounts or c.role == "subset" or c.item != e.item or c.sentence < e.sentence - 2:
                break
            run.insert(0, c)
        if len(run) > 1 and all(any(w in c.subject for w in lexicon.source) for c in run):
            return run  # 拨入…20万元；上级补助48.41万元。支出68.41万元: what was available
        return last
    return None


# the verbs of a change downward, right before its figure (比上年减少412.3万元, 下降4.01%)
_DOWN = ("减少", "下降", "降低", "减", "少", "降")


# a figure named as last year's: 比上年3215.60万元, 较去年的…, 上年为…
_LAST_YEAR = re.compile(r"(?:比|较|与)(?:上年|去年|上一年)(?:同期)?的?$|(?:上年|去年)(?:同期)?为$")


def _falls(c: Claim) -> bool:
    """A change stated as a fall: its verb stands in the few characters before its figure, however
    long the figure (减少12600元 and 减少412.3万元 alike)."""
    head = c.before_figure.rstrip()
    return any(w in head[-4:] for w in _DOWN[:4]) or head.endswith(_DOWN)


def _changes(section: list[Claim], lexicon, cmp: Compare, ulps: int) -> list[Finding]:
    """同比增加X，增长Y%: Y = X ÷ (this year's figure − X)."""
    out = []
    for k in range(1, len(section) - 1):
        x, y = section[k], section[k + 1]
        if x.kind != "change" or y.kind != "change" or cmp.family(x.unit) == "percent" \
                or cmp.family(y.unit) != "percent" or x.sentence != y.sentence:
            continue
        # this year's figure: the last one before the change, but a part of a list only in the change's
        # own sentence (其中财政拨款收入792.22万元，同比增加209.28万元); a sentence after the list changes
        # its total (支出合计…，其中…项目支出681.68万元。支出总额增加123.5万元)
        now = next((c for c in reversed(section[:k]) if c.kind is None and cmp.compatible(c.unit, x.unit)
                    and (c.role != "subset" or c.sentence == x.sentence)), None)
        if now is None or now.sentence < x.sentence - 1:
            continue
        cur = cmp.to_unit(now.value, now.unit, x.unit)
        down = _falls(x) or _falls(y)
        last = cur + x.value if down else cur - x.value
        if _LAST_YEAR.search(now.before_figure):
            last = cur  # 比上年3215.60万元增加263.32万元: the figure named is last year's itself
        if last <= 0:
            continue
        exp = x.value / last * 100
        ok = rate_agrees(exp, y.value, y.decimals, ulps + 1)
        out.append(_finding("narrative.change", ok, [now, x, y], round(exp, 2), y.value,
                            {"rate": y.text, "change": x.value, "unit": x.unit, "current": cur,
                             "previous": last, "expected": exp}))
    return out


def _words(c: Claim) -> str:
    return "".join(c.words)


def _squeeze(subject: str) -> str:
    """A subject without the spaces a PDF line wrap leaves inside words (实际支 付)."""
    return "".join(subject.split())


def _restated(claims: list[Claim], lexicon, cmp: Compare, min_chars: int = 6) -> list[Finding]:
    """One long subject (部门预算项目支出) given two money figures in one report: they must agree.
    The subject is compared as written and as its content words (what a cut subject keeps)."""
    out = []
    seen: dict[str, Claim] = {}
    roles = {w for ws in lexicon.roles.values() for w in ws}
    money = [c for c in claims if cmp.family(c.unit) == "money" and c.kind is None and not c.range and not c.approx]
    count: dict[str, int] = {}
    for c in money:
        count[_squeeze(c.subject)] = count.get(_squeeze(c.subject), 0) + 1
    plain = sorted(set(lexicon.role_neutral) | set(lexicon.source) | set(lexicon.execution_verbs), key=len, reverse=True)

    def named(k: str) -> bool:
        """A long subject, or a short one stated exactly twice that says more than 资金/支付 (预拨资金)."""
        if lexicon.strip_neutral(k) in roles:
            return False
        if len(k) >= min_chars:
            return True
        rest = k
        for w in plain:
            rest = rest.replace(w, "")
        return len(k) >= 4 and len(rest) >= 2 and count.get(k) == 2

    for c in money:
        keys = [k for k in (_squeeze(c.subject), _words(c)) if k and named(k)]
        first = next((seen[k] for k in keys if k in seen), None)
        if first is None:
            for k in keys:
                seen.setdefault(k, c)
            continue
        if first.role == "subset" and c.role == "subset":
            continue  # two parts are two things (一般公共预算 under 中央资金 and under 省级资金)
        if first.period and c.period and first.period != c.period:
            continue  # 2023年项目支出 and 2024年项目支出 are two years
        if len(_squeeze(c.subject)) < min_chars and len(_words(c)) < min_chars and first.section == c.section:
            continue  # a short subject is restated across sections (a recap), not within one
        v = cmp.to_unit(c.value, c.unit, first.unit)
        ok = amount_agrees(first.value, v, max(first.decimals, c.decimals), 0)
        if not ok:
            out.append(_finding("narrative.restated", ok, [first, c], first.value, c.value,
                                {"first": first.text, "other": c.text}))
    return out


def _members(claims: list[Claim]) -> list[Finding]:
    """A count against the names it lists (下设事业单位8个：followed by seven names)."""
    out = []
    for c in claims:
        if c.members is None or c.range is not None or c.approx:
            continue
        if c.members_at in ("before", "brackets") and c.value > 2 * c.members:
            continue  # 乡镇卫生院、村卫生室32家, 39名（领导职数、专项编制）: kinds of what is counted
        ok = abs(c.members - c.value) < EPS
        out.append(_finding("narrative.members", ok, [c], c.value, c.members,
                            {"claim": c.text, "listed": c.members, "stated": c.value, "unit": c.unit},
                            code="narrative.members.before" if c.members_at == "before" else "", severity="warning"))
    return out


def _complete(parent: Claim, parts: list[Claim], lexicon) -> bool:
    """Are these parts meant to be the whole total? By definition (a partition), as stated (分别为),
    closed by a remainder (其他…), or as many as the sentence announces (二类支出)."""
    if len(parts) < 2:
        return False
    if all(c.exhaustive for c in parts):
        return True
    if parent.announced == len(parts):
        return True
    if any(parts[-1].subject.startswith(w) for w in lexicon.remainder):
        return True
    for p in lexicon.partitions:
        if not p.divides(parent.subject):
            continue
        members = [p.member(c.subject) for c in parts]
        if None not in members and set(members) == set(range(len(p.parts))):
            return True
    return False


def _levels(parts: list[Claim], lexicon) -> bool:
    """一级指标3个，二级指标9个，三级指标12个: levels of one hierarchy, not a sum."""
    lead = [next((w for w in lexicon.levels if c.subject.startswith(w)), None) for c in parts]
    return len(parts) >= 2 and None not in lead and len(set(lead)) == len(lead)


# a rate's subject: 执行率, 完成率, 满意度 (rates of parts never add up to the whole's)
_RATE_SUBJECT = re.compile(r"[率度]$")


def _facets(parts: list[Claim], lexicon) -> int:
    """How many of the lexicon's overlapping breakdowns (sex, age, need) the parts' subjects name."""
    return sum(1 for words in lexicon.facets if any(any(w in (c.subject or c.text) for w in words) for c in parts))


def _stated_shares(claims: list[Claim]) -> dict[str, float]:
    """part id -> the share stated right after it (312名，占87.64%), for the parts that have one."""
    out = {}
    for p, s in zip(claims, claims[1:]):
        if s.kind == "share" and p.kind is None and p.sentence == s.sentence and s.unit == "%":
            out[p.id] = s.value
    return out


def _closes(total: Claim, items: list[Claim]) -> bool:
    """A、B、C、D，共计523.65万元: a total right after the items of its own sentence sums them all
    (A、B等，共计… does not: 等 leaves the list open)."""
    return len(items) >= 2 and total.closes and all(c.sentence == total.sentence for c in items)


def _counted_totals(claims: list[Claim]):
    """以上三项合计78.4万元: (the total, how many items the count right before it names)."""
    for k in range(1, len(claims)):
        n, c = claims[k - 1], claims[k]
        if (n.unit in _ITEM_COUNTS and n.sentence == c.sentence and 0 <= c.span[0] - n.span[1] <= 2
                and n.text.endswith(("合计", "共计", "总计", "共")) and c.role == "total" and n.range is None):
            yield c, int(n.value)


# the measure words of a count of items that a total after it sums (以上三项合计)
_ITEM_COUNTS = ("项", "个", "类", "部分")


def _trailing_parts(claims: list[Claim], cmp: Compare, lexicon, kids: dict[str, list[Claim]]):
    """…项目40万元；…项目3万元。共计下达资金3580.69万元: a money total stated after its items."""
    for k, c in enumerate(claims):
        if c.role != "total" or c.id in kids or cmp.family(c.unit) not in ("money", "physical") or c.kind is not None:
            continue
        run: list[Claim] = []
        for p in reversed(claims[:k]):
            nxt = run[0] if run else c
            if p.section != c.section or p.item != c.item or nxt.span[0] - p.span[1] > 80:
                break  # (the items stand under the total's own numbered item: （三）… is not （四）'s)
            if not (p.unit == c.unit or cmp.family(c.unit) == cmp.family(p.unit) == "money"):
                if cmp.family(p.unit) in ("percent", "money"):
                    break
                continue  # 采购原原种200万粒，建成基地400亩: figures of other measures stand between
            if p.kind == "standard":
                continue  # 按每场补助1.2万元的标准, 场均1,276.19元: a rate among the items, none of them
            if p.role is not None or p.kind is not None or p.range or p.approx or role(p, lexicon, cmp, loose=True):
                break  # 预算20万元…共支出成本20万元 restates a budget, it sums no items
            if "支出" in c.subject and p.subject.endswith(lexicon.received):
                break  # 资金到位1250万元。…合计支出1235.8万元: the funds received are no item spent
            run.insert(0, p)
        if len(run) >= 2:
            yield c, run


def _parts(claims: list[Claim], cmp: Compare, lexicon=None) -> list[Finding]:
    by_id = {c.id: c for c in claims}
    kids: dict[str, list[Claim]] = {}
    for c in claims:
        if c.role == "subset" and c.parent in by_id and c.kind is None:
            kids.setdefault(c.parent, []).append(c)
    groups = [(by_id[pid], parts, False) for pid, parts in kids.items()]
    if lexicon is not None:
        groups += [(t, run, True) for t, run in _trailing_parts(claims, cmp, lexicon, kids)]
    counted = {c.id: n for c, n in _counted_totals(claims)}
    shares = _stated_shares(claims)
    out = []
    for parent, parts, trailing in groups:
        if not all(cmp.compatible(parent.unit, c.unit) for c in parts):
            continue
        if cmp.family(parent.unit) == "percent" and _RATE_SUBJECT.search(parent.subject or ""):
            continue  # 执行率97.13%，其中基本支出执行率99.64%…: rates of parts do not add up
        if sum(shares.get(c.id, 0.0) for c in parts) > 100 + 0.5:
            continue  # 其中脱贫人口312名，占87.64%；女性58名，占16.29%: overlapping breakdowns
        if lexicon is not None and _facets(parts, lexicon) > 1:
            continue  # 其中女性2015人、35岁以下青年2680人: two breakdowns of one whole
        if lexicon is not None and _levels(parts, lexicon):
            continue
        if parent.range is not None and parent.range[1] is None:
            continue  # 全部达到10万元以上，其中50万元以上的…: a total with no upper bound holds any parts
        total = sum(cmp.to_unit(c.value, c.unit, parent.unit) for c in parts)
        high = parent.range[1] if parent.range and parent.range[1] is not None else parent.value
        complete = lexicon is not None and (_complete(parent, parts, lexicon) if not trailing
                                            else counted.get(parent.id) == len(parts) or _closes(parent, parts))
        if lexicon is None:  # the rule as it stood: money itemised into sources adds up
            complete = len(parts) >= 2 and (all(c.exhaustive for c in parts) or cmp.family(parent.unit) == "money")
        dec = max([parent.decimals] + [c.decimals for c in parts])
        if complete and parent.range is None and not parent.approx:
            ok = amount_agrees(parent.value, total, dec, 0)
            code = "narrative.parts.complete"
        else:
            ok = total <= high + half_unit(dec)
            code = "narrative.parts.within" if len(parts) > 1 else "narrative.parts.one"
        out.append(_finding("narrative.parts", ok, [parent] + parts, parent.value, total,
                            {"total_claim": parent.text, "parts": [c.text for c in parts],
                             "terms": [c.value for c in parts], "sum": total, "total": parent.value,
                             "unit": parent.unit}, code))
    return out


def _distribution(claims: list[Claim], cmp: Compare, ulps: int) -> list[Finding]:
    """优秀14宗，占比14%；良好20宗，占比20%；合格66宗，占比66%: counts each with its share, the
    shares adding up to 100%, divide the counts' sum (a total no sentence states)."""
    out = []
    k = 0
    while k < len(claims) - 1:
        pairs = []
        j = k
        while j + 1 < len(claims) and claims[j + 1].kind == "share" and claims[j].kind is None \
                and claims[j].role != "subset" and claims[j].section == claims[j + 1].section \
                and cmp.family(claims[j].unit) not in ("percent", None) \
                and (not pairs or (claims[j].unit == pairs[0][0].unit and claims[j].item == pairs[0][0].item)):
            pairs.append((claims[j], claims[j + 1]))
            j += 2
        if len(pairs) >= 2 and abs(sum(s.value for _, s in pairs) - 100) <= 1:
            base = sum(p.value for p, _ in pairs)
            for p, s in pairs:
                exp = p.value / base * 100 if base else 0.0
                ok = rate_agrees(exp, s.value, s.decimals, ulps + 1)
                out.append(_finding("narrative.share", ok, [p, s], round(exp, 2), s.value,
                                    {"share": s.text, "part": p.text, "total": fmt_sum(pairs), "expected": exp}))
        k = j + 1 if pairs else k + 1
    return out


def fmt_sum(pairs) -> str:
    from .compare import fmt

    return "+".join(fmt(p.value) for p, _ in pairs)


# the base a share names: 占调整后预算的58.56%, 占实际支出的60.51%
_NAMED_BASE = re.compile(r"占([\u4e00-\u9fff]{2,12}?)的?$")


def _base_is(share: Claim, total: Claim) -> bool:
    """Does the base the share names (if any) name the total? They share a word of two characters."""
    m = _NAMED_BASE.search(share.before_figure)
    if not m:
        return True
    base, subject = m.group(1), total.subject or total.text
    return any(base[i:i + 2] in subject for i in range(len(base) - 1))


def _respectively(c: Claim) -> bool:
    """分别占66.67%…: the share opens a list of shares, one per part before it."""
    return "分别" in c.before_figure


def _run(claims: list[Claim], k: int, step: int, ok) -> list[int]:
    """The indices of the claims from k on (step ±1) that all pass `ok`, up to the first that does not."""
    out = []
    while 0 <= k < len(claims) and ok(claims[k]):
        out.append(k)
        k += step
    return out


def _shares(claims: list[Claim], cmp: Compare, ulps: int) -> list[Finding]:
    """良好案件20宗，占比20%: a share beside a part is the part over its total."""
    by_id = {c.id: c for c in claims}
    out = _distribution(claims, cmp, ulps)
    pairs, done = [], set()
    for k in range(1, len(claims)):
        s = claims[k]
        if s.kind != "share" or k in done:
            continue
        if _respectively(s):
            # A 3120万元、B 936万元、C 624万元，分别占66.67%、20%、13.33%: the shares in the parts' order
            shares = _run(claims, k, 1, lambda c: (c.kind == "share" or c is not s and c.unit == s.unit
                                                    and c.kind is None) and c.sentence == s.sentence)
            parts = _run(claims, k - 1, -1, lambda c: c.role == "subset" and c.sentence == s.sentence
                         and c.parent == claims[k - 1].parent)[::-1]
            done.update(shares)
            if len(parts) == len(shares):
                pairs += [(claims[i], claims[j]) for i, j in zip(shares, parts)]
            continue
        pairs.append((s, claims[k - 1]))
    for s, p in pairs:
        if p.section != s.section or p.sentence != s.sentence or p.role != "subset":
            continue
        t = by_id.get(p.parent or "")
        if t is not None and not _base_is(s, t):
            continue  # 其中…585.60万元，占调整后预算的58.56%: of another figure than the list's total
        if t is None or not t.value or not cmp.compatible(t.unit, p.unit):
            continue
        exp = cmp.to_unit(p.value, p.unit, t.unit) / t.value * 100
        ok = rate_agrees(exp, s.value, s.decimals, ulps + 1)
        out.append(_finding("narrative.share", ok, [t, p, s], round(exp, 2), s.value,
                            {"share": s.text, "part": p.text, "total": t.text, "expected": exp}))
    return out
