/* The reviewer's report: overview, filters, sorting, search and one report's detail.
 * Document text only ever reaches the page through textContent and createTextNode,
 * never innerHTML, and no URL is built from it: the data block is inert JSON. */
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('jx-data').textContent);
  const L = D.labels;
  const R = D.reports;
  /* lists arrive as {k: keys, v: rows of values}; objects again here */
  const hydrate = (t) => (t && t.k) ? t.v.map((row) => { const o = {}; t.k.forEach((k, j) => { o[k] = row[j]; }); return o; }) : (t || []);
  for (const r of R) for (const key of ['indicators', 'claims', 'findings', 'sections']) r[key] = hydrate(r[key]);
  const RULES = D.rules;
  const BUDGET_OF_RULE = D.budget_fields_of_rule;
  const SHOWN_WHEN_STATED = new Set(['received', 'balance']);
  const $ = (id) => document.getElementById(id);

  /* el('td', {class: 'num'}, 'text', child…): attributes from our own code, children as text nodes */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k === 'hidden') e.hidden = true;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  const fmt = (v) => (v === null || v === undefined || v === '') ? L.none : String(v);
  const statusWord = (s) => (L.statuses[s] || s || L.none);
  const sevWord = (s) => (L.severities[s] || s || L.none);
  const ruleWord = (code) => (RULES[code] || code || L.none);
  const badge = (cls, text) => el('span', {class: 'badge ' + cls}, text);
  const worstWord = (w) => ({error: sevWord('error'), warning: sevWord('warning'), unreadable: L.unreadable,
                              unverified: statusWord('unverified'), clean: L.clean})[w];

  /* ---------- overview ---------- */
  const rows = [];          // one per report, index = report index
  const hay = [];           // lower-cased search text per report

  /* the text a search looks in, built the first time a report is searched */
  function haystack(i) {
    if (hay[i] !== undefined) return hay[i];
    const r = R[i], rep = r.report || {}, src = r.source || {};
    const parts = [rep.title, rep.department, src.path, rep.year, rep.template];
    for (const ind of r.indicators || []) parts.push(ind.name, ind.section);
    for (const f of r.findings || []) if (f.status !== 'consistent') parts.push(f.message, f.rule, f.fingerprint);
    if (r.error) parts.push(r.error.message, r.error.code);
    hay[i] = parts.filter((x) => x !== null && x !== undefined).join('\n').toLowerCase();
    return hay[i];
  }

  function fillSelect(id, values, word) {
    const sel = $(id);
    sel.appendChild(el('option', {value: ''}, L.all));
    for (const v of values) sel.appendChild(el('option', {value: String(v)}, word ? word(v) : String(v)));
  }

  function distinct(get) {
    const seen = new Set();
    R.forEach((r) => { for (const v of [].concat(get(r))) if (v !== null && v !== undefined && v !== '') seen.add(v); });
    return Array.from(seen).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  function buildFilters() {
    fillSelect('f-dept', distinct((r) => (r.report || {}).department));
    fillSelect('f-year', distinct((r) => (r.report || {}).year).reverse());
    fillSelect('f-template', distinct((r) => (r.report || {}).template), (t) => L.templates[t] || t);
    fillSelect('f-rule', distinct((r) => r._.rules), (c) => ruleWord(c) + ' (' + c + ')');
    fillSelect('f-sev', distinct((r) => r._.severities), sevWord);
    fillSelect('f-worst', ['error', 'unreadable', 'warning', 'unverified', 'clean'], worstWord);
    for (const id of ['f-dept', 'f-year', 'f-template', 'f-rule', 'f-sev', 'f-worst']) $(id).addEventListener('change', applyFilters);
    $('f-q').addEventListener('input', applyFilters);
  }

  /* rows are built when first shown, and PAGE more at a time: the page stays quick with thousands */
  const PAGE = 100;
  let order = R.map((r, i) => i), matched = order, limit = PAGE;

  function row(i) {
    if (rows[i]) return rows[i];
    const r = R[i], rep = r.report || {}, src = r.source || {}, s = r._;
    const open = el('button', {type: 'button', class: 'link', 'data-r': i}, rep.title || src.path || L.none);
    open.addEventListener('click', () => openReport(i, true));
    rows[i] = el('tr', {'data-r': i, class: i === current ? 'sel' : null},
      el('td', null, open, el('div', {class: 'path'}, src.path || '')),
      el('td', null, fmt(rep.department)),
      el('td', {class: 'num'}, fmt(rep.year)),
      el('td', null, rep.template ? (L.templates[rep.template] || rep.template) : L.none),
      el('td', null, badge('w-' + s.worst, worstWord(s.worst))),
      el('td', {class: 'num'}, String(s.open)),
      el('td', {class: 'num'}, String(s.unverified)),
      el('td', {class: 'num'}, String(s.dismissed)));
    return rows[i];
  }

  function show() {
    const frag = document.createDocumentFragment();
    for (const i of matched.slice(0, limit)) frag.appendChild(row(i));
    $('rows').replaceChildren(frag);
    const rest = matched.length - Math.min(limit, matched.length);
    $('more').hidden = rest <= 0;
    $('more').textContent = L.show_more + ' (' + Math.min(rest, PAGE) + ' / ' + rest + ')';
    $('count').textContent = L.shown + ' ' + matched.length + ' / ' + R.length;
    $('no-match').hidden = matched.length > 0;
  }

  function applyFilters() {
    const dept = $('f-dept').value, year = $('f-year').value, tpl = $('f-template').value;
    const rule = $('f-rule').value, sev = $('f-sev').value, worst = $('f-worst').value;
    const q = $('f-q').value.trim().toLowerCase();
    matched = order.filter((i) => {
      const r = R[i], rep = r.report || {}, s = r._;
      return (!dept || rep.department === dept) && (!year || String(rep.year) === year) &&
        (!tpl || rep.template === tpl) && (!rule || s.rules.indexOf(rule) >= 0) &&
        (!sev || s.severities.indexOf(sev) >= 0) && (!worst || s.worst === worst) &&
        (!q || haystack(i).indexOf(q) >= 0);
    });
    limit = PAGE;
    show();
    return matched.length;
  }

  /* sorting: worst first by default; a header button toggles its column */
  const SORTS = {
    title: (r) => ((r.report || {}).title || (r.source || {}).path || ''),
    department: (r) => ((r.report || {}).department || ''),
    year: (r) => ((r.report || {}).year || 0),
    template: (r) => ((r.report || {}).template || ''),
    worst: (r) => r._.rank * 1e6 + r._.open * 1e3 + r._.unverified,
    open: (r) => r._.open,
    unverified: (r) => r._.unverified,
    dismissed: (r) => r._.dismissed,
  };
  let sortKey = 'worst', sortDir = -1;

  function applySort() {
    const get = SORTS[sortKey];
    order = R.map((r, i) => i);
    order.sort((a, b) => {
      const x = get(R[a]), y = get(R[b]);
      const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), D.lang === 'en' ? 'en' : 'zh-CN');
      return c !== 0 ? c * sortDir : R[a]._.order - R[b]._.order;
    });
    for (const th of document.querySelectorAll('#reports th[data-sort]')) {
      th.setAttribute('aria-sort', th.dataset.sort === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
    }
    applyFilters();
  }

  function buildSortButtons() {
    for (const th of document.querySelectorAll('#reports th[data-sort]')) {
      const b = th.querySelector('button.sort');
      b.addEventListener('click', () => {
        const k = th.dataset.sort;
        if (k === sortKey) sortDir = -sortDir;
        else { sortKey = k; sortDir = (typeof SORTS[k](R[0] || {_: {}, report: {}}) === 'number') ? -1 : 1; }
        applySort();
      });
    }
  }

  /* the by-rule table: a rule's button sets the rule filter */
  function buildBreakdown() {
    for (const b of document.querySelectorAll('#by-rule button[data-rule]')) {
      b.addEventListener('click', () => { $('f-rule').value = b.dataset.rule; applyFilters(); $('reports').scrollIntoView(); });
    }
  }

  /* ---------- one report ---------- */
  function claimsById(r) { const m = {}; for (const c of r.claims || []) m[c.id] = c; return m; }
  function indicatorsById(r) { const m = {}; for (const x of r.indicators || []) m[x.id] = x; return m; }

  /* where a claim's span sits: the section of that name whose text at the span reads the claim */
  function locate(r, c) {
    const sp = c.span || [];
    if (sp.length !== 2 || sp[0] < 0 || sp[1] < sp[0]) return null;
    let fallback = null;
    (r.sections || []).forEach((s, k) => {
      if (s.name !== c.section || sp[1] > (s.text || '').length) return;
      if ((s.text || '').slice(sp[0], sp[1]) === c.text && (!fallback || !fallback.exact)) fallback = {k: k, exact: true};
      else if (!fallback) fallback = {k: k, exact: false};
    });
    return fallback ? {k: fallback.k, start: sp[0], end: sp[1]} : null;
  }

  /* a span's sentence, with the span highlighted: [before, mark, after] nodes */
  function sentenceNodes(text, start, end) {
    const stops = /[。！？；!?;\n]/g;
    let left = 0, m;
    while ((m = stops.exec(text)) && m.index < start) left = m.index + 1;
    stops.lastIndex = end;
    m = stops.exec(text);
    let right = m ? m.index + 1 : text.length;
    left = Math.max(left, start - 80);
    right = Math.min(right, end + 80);
    return [text.slice(left, start).replace(/^\s+/, ''), el('mark', {class: 'evid'}, text.slice(start, end)), text.slice(end, right)];
  }

  function facts(pairs) {
    const dl = el('dl', {class: 'facts'});
    for (const [k, v] of pairs) { if (v === undefined) continue; dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', null, v === null ? L.none : v)); }
    return dl;
  }

  function decisionBadge(f) {
    const d = f.decision;
    if (!d || !d.verdict) return null;
    return badge('d-' + d.verdict, L[d.verdict] || d.verdict);
  }

  function findingBlock(r, ri, f, claims, inds) {
    const cls = 'finding ' + (f.status || '') + (f.decision && f.decision.verdict === 'dismissed' ? ' dismissed' : '');
    const det = el('details', {class: cls, id: 'f-' + ri + '-' + f.id, 'data-fp': f.fingerprint || ''});
    det.appendChild(el('summary', null,
      badge('s-' + f.status, statusWord(f.status)), badge('v-' + f.severity, sevWord(f.severity)),
      decisionBadge(f), el('strong', null, ruleWord(f.rule)), el('span', {class: 'msg'}, f.message || '')));
    const body = el('div');
    const ind = f.indicator ? inds[f.indicator] : null;
    body.appendChild(facts([
      [L.rule, ruleWord(f.rule) + ' (' + f.rule + ')'],
      [L.indicator, ind ? (ind.name || '') + (ind.raw ? '：' + ind.raw : '') : undefined],
      [L.reported, fmt(f.reported)],
      [L.expected, fmt(f.expected)],
      [L.message, f.message || L.none],
    ]));
    const ev = el('div', {class: 'evidence-list'});
    for (const cid of f.claims || []) {
      const c = claims[cid];
      if (!c) continue;
      const at = locate(r, c);
      const quote = el('blockquote', {class: 'evidence', 'data-claim': cid});
      if (at) {
        for (const n of sentenceNodes((r.sections[at.k].text || ''), at.start, at.end)) quote.appendChild(typeof n === 'string' ? document.createTextNode(n) : n);
        const go = el('button', {type: 'button', class: 'link noprint', 'data-claim': cid}, L.show_in_text);
        go.addEventListener('click', () => showClaim(ri, cid));
        quote.appendChild(document.createTextNode(' '));
        quote.appendChild(go);
      } else {
        quote.appendChild(el('mark', {class: 'evid'}, c.text || ''));
      }
      ev.appendChild(el('div', {class: 'small'}, L.claims + ' ' + cid + (c.section ? ' · ' + c.section : '')));
      ev.appendChild(quote);
    }
    if (ev.childNodes.length) body.appendChild(ev);
    if (f.decision && f.decision.verdict) {
      body.appendChild(facts([[L.decision, L[f.decision.verdict] || f.decision.verdict], [L.decision_reason, f.decision.reason],
        [L.decision_by, f.decision.by], [L.decision_at, f.decision.at]]));
    }
    body.appendChild(el('p', {class: 'small'}, L.fingerprint + ' ', el('code', {class: 'fp'}, f.fingerprint || '')));
    if (f.status === 'mismatch' && f.fingerprint && !(f.decision && f.decision.verdict === 'dismissed')) {
      body.appendChild(el('pre', {class: 'cmd noprint', 'aria-label': L.review_hint},
        'jixiao review ' + f.fingerprint + ' --dismiss --reason "…" --by "…" --db corpus.sqlite'));
    }
    det.appendChild(body);
    det.addEventListener('toggle', () => { if (det.open) markEvidence(ri, f.claims || [], false); });
    return det;
  }

  function budgetBlock(r, ri, claims, inds) {
    const b = r.budget || {};
    const bf = (r.findings || []).filter((f) => (f.rule || '').indexOf('budget.') === 0);
    const hit = new Set();
    for (const f of bf) if (f.status === 'mismatch') for (const k of (BUDGET_OF_RULE[f.rule] || [])) hit.add(k);
    const t = el('table', {class: 'budget'}, el('thead', null, el('tr', null, el('th', null, L.budget_field), el('th', {class: 'num'}, L.value + (r.report && r.report.money_unit ? ' (' + r.report.money_unit + ')' : '')))));
    const tb = el('tbody');
    for (const k of Object.keys(L.budget_fields)) {
      if (SHOWN_WHEN_STATED.has(k) && b[k] == null) continue;  // a narrative fund block's, rarely stated
      tb.appendChild(el('tr', {class: hit.has(k) ? 'hit' : null}, el('td', null, L.budget_fields[k]), el('td', {class: 'num'}, fmt(b[k]))));
    }
    t.appendChild(tb);
    const box = el('section', {class: 'budget-block'}, el('h3', null, L.budget), t);
    if (bf.length) {
      box.appendChild(el('h4', null, L.budget_checks));
      for (const f of bf) box.appendChild(findingBlock(r, ri, f, claims, inds));
    }
    return box;
  }

  function indicatorTable(r, ri) {
    const t = el('table', {class: 'indicators'}, el('thead', null, el('tr', null,
      el('th', null, L.section), el('th', null, L.indicator), el('th', null, L.stated), el('th', null, L.status), el('th', null, L.note))));
    const tb = el('tbody');
    for (const x of r.indicators || []) {
      const st = el('td', null, badge('s-' + x.status, statusWord(x.status)));
      if ((x.evidence || []).length) {
        const go = el('button', {type: 'button', class: 'link noprint'}, L.show_in_text);
        go.addEventListener('click', () => showClaim(ri, x.evidence[0], x.evidence));
        st.appendChild(document.createTextNode(' '));
        st.appendChild(go);
      }
      tb.appendChild(el('tr', {class: x.status === 'mismatch' ? 'hit' : null, 'data-ind': x.id},
        el('td', null, fmt(x.section)), el('td', null, fmt(x.name)), el('td', null, fmt(x.raw)), st, el('td', {class: 'small'}, x.note || '')));
    }
    t.appendChild(tb);
    return el('section', null, el('h3', null, L.indicators), t);
  }

  function narrative(r, ri) {
    const box = el('section', {class: 'narrative'}, el('h3', null, L.narrative));
    const claims = r.claims || [];
    const bad = new Set(), ok = new Set();
    for (const f of r.findings || []) {
      for (const c of f.claims || []) (f.status === 'mismatch' ? bad : ok).add(c);
    }
    const bySection = {};
    for (const c of claims) { const at = locate(r, c); if (at) (bySection[at.k] = bySection[at.k] || []).push([at.start, at.end, c.id]); }
    let any = false;
    (r.sections || []).forEach((s, k) => {
      const text = s.text || '';
      if (!text.trim()) return;
      any = true;
      const p = el('p', {class: 'narr', 'data-section': k});
      const spans = (bySection[k] || []).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
      let pos = 0;
      for (const [a, b, cid] of spans) {
        if (a < pos) continue; // a span inside one already marked
        if (a > pos) p.appendChild(document.createTextNode(text.slice(pos, a)));
        p.appendChild(el('mark', {class: 'claim' + (bad.has(cid) ? ' bad' : ok.has(cid) ? ' ok' : ''), id: 'c-' + ri + '-' + cid, 'data-claim': cid, tabindex: -1}, text.slice(a, b)));
        pos = b;
      }
      if (pos < text.length) p.appendChild(document.createTextNode(text.slice(pos)));
      box.appendChild(el('h4', null, s.name || ''));
      box.appendChild(p);
    });
    if (!any) box.appendChild(el('p', {class: 'empty'}, L.no_narrative));
    return box;
  }

  function markEvidence(ri, cids, scroll) {
    const art = $('r-' + ri);
    if (!art) return null;
    for (const m of art.querySelectorAll('mark.claim.active')) m.classList.remove('active');
    let first = null;
    for (const cid of cids) {
      const m = document.getElementById('c-' + ri + '-' + cid);
      if (m) { m.classList.add('active'); first = first || m; }
    }
    if (scroll && first) { first.scrollIntoView({block: 'center'}); first.focus({preventScroll: true}); }
    return first;
  }
  function showClaim(ri, cid, all) { markEvidence(ri, all || [cid], true); }

  function reportArticle(i) {
    const r = R[i], rep = r.report || {}, src = r.source || {};
    const claims = claimsById(r), inds = indicatorsById(r);
    const close = el('button', {type: 'button', class: 'close'}, L.close);
    close.addEventListener('click', closeDetail);
    const h = el('h2', {tabindex: -1}, rep.title || src.path || L.none);
    const art = el('article', {class: 'report', id: 'r-' + i, 'aria-label': rep.title || src.path || ''},
      el('header', null, h, el('span', null, badge('w-' + r._.worst, worstWord(r._.worst)), ' ', close)));
    art.appendChild(el('h3', null, L.header));
    art.appendChild(facts([
      [L.department, fmt(rep.department)], [L.year, fmt(rep.year)],
      [L.template, rep.template ? (L.templates[rep.template] || rep.template) : L.none],
      [L.money_unit, fmt(rep.money_unit)], [L.file, fmt(src.path)], [L.format, fmt(src.format)],
      [L.sha256, fmt(src.sha256)],
      [L.pipeline, r.pipeline ? (r.pipeline.version || '') + ' · ' + (r.pipeline.settings || '') : undefined],
    ]));
    if (r.status !== 'checked') {
      art.appendChild(el('h3', null, L.error));
      art.appendChild(el('p', null, badge('w-unreadable', (r.error || {}).code || ''), ' ', (r.error || {}).message || ''));
      return art;
    }
    if ((rep.warnings || []).length) {
      const ul = el('ul');
      for (const w of rep.warnings) ul.appendChild(el('li', null, w));
      art.appendChild(el('h3', null, L.warnings));
      art.appendChild(ul);
    }
    art.appendChild(budgetBlock(r, i, claims, inds));
    art.appendChild(indicatorTable(r, i));
    const rest = (r.findings || []).filter((f) => (f.rule || '').indexOf('budget.') !== 0);
    const attention = rest.filter((f) => f.status !== 'consistent');
    const fine = rest.filter((f) => f.status === 'consistent');
    const fs = el('section', {class: 'findings'}, el('h3', null, L.findings));
    if (!attention.length) fs.appendChild(el('p', {class: 'empty'}, L.no_findings));
    for (const f of attention) fs.appendChild(findingBlock(r, i, f, claims, inds));
    if (fine.length) {
      const others = el('details', {class: 'others'}, el('summary', null, L.other_checks + ' (' + fine.length + ' ' + statusWord('consistent') + ')'));
      for (const f of fine) others.appendChild(findingBlock(r, i, f, claims, inds));
      fs.appendChild(others);
    }
    art.appendChild(fs);
    art.appendChild(narrative(r, i));
    return art;
  }

  let current = null;
  function openReport(i, focus) {
    const box = $('detail');
    box.textContent = '';
    box.appendChild(reportArticle(i));
    if (current !== null && rows[current]) rows[current].classList.remove('sel');
    current = i;
    row(i).classList.add('sel');
    if (location.hash !== '#r-' + i) history.replaceState(null, '', '#r-' + i);
    if (focus) { const h = box.querySelector('h2'); h.scrollIntoView({block: 'start'}); h.focus({preventScroll: true}); }
  }
  function closeDetail() {
    $('detail').textContent = '';
    history.replaceState(null, '', '#');
    if (current !== null) {
      const tr = rows[current];
      tr.classList.remove('sel');
      current = null;
      if (tr.isConnected) tr.querySelector('button.link').focus(); else $('f-q').focus();
    }
  }

  /* for printing: every report the filters leave, in the table's order */
  function expandAll() {
    const box = $('detail');
    box.textContent = '';
    for (const i of matched) {
      const art = reportArticle(i);
      for (const d of art.querySelectorAll('details.finding')) if (!d.classList.contains('consistent')) d.open = true;
      box.appendChild(art);
    }
  }

  function init() {
    const t0 = performance.now();
    R.forEach((r, i) => { r._.order = i; });
    buildFilters();
    buildSortButtons();
    buildBreakdown();
    applySort();
    $('more').addEventListener('click', () => { limit += PAGE; show(); });
    $('expand').addEventListener('click', expandAll);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && $('detail').childNodes.length) closeDetail();
      if (e.key === '/' && document.activeElement && ['INPUT', 'SELECT'].indexOf(document.activeElement.tagName) < 0) { e.preventDefault(); $('f-q').focus(); }
    });
    window.addEventListener('beforeprint', () => {
      if (limit < matched.length) { limit = matched.length; show(); }
      for (const d of document.querySelectorAll('#detail details.finding')) if (!d.classList.contains('consistent')) d.open = true;
    });
    const m = /^#r-(\d+)$/.exec(location.hash);
    if (m && R[Number(m[1])]) openReport(Number(m[1]), false);
    /* ready: ms from navigation start to the first frame painted with the rows (what the benchmark reads) */
    requestAnimationFrame(() => setTimeout(() => {
      document.documentElement.dataset.init = String(Math.round(performance.now() - t0));
      document.documentElement.dataset.ready = String(Math.round(performance.now()));
    }, 0));
  }

  init();
})();
