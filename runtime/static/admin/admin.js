/* Hangar admin: progressive enhancements. Every page works without this file.
   Plain ES2017, no globals, no eval, no inline handlers (CSP script-src 'self'). */
(function () {
  'use strict';

  // Lets the stylesheet collapse the sidebar on phones only when the toggle works.
  document.documentElement.classList.add('admin-js');

  let uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + '-' + uid;
  }

  function parseJSON(text) {
    if (typeof text !== 'string' || text === '') return null;
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  /* 1. Sidebar toggle ------------------------------------------------------ */

  function initNavToggle(button) {
    const nav = document.getElementById(button.getAttribute('aria-controls') || 'admin-nav');
    if (!nav) return;
    function setOpen(open) {
      nav.classList.toggle('open', open);
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    setOpen(nav.classList.contains('open'));
    button.addEventListener('click', function () {
      setOpen(!nav.classList.contains('open'));
    });
    nav.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && nav.classList.contains('open') && button.offsetParent !== null) {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* 2. Select every row of a bulk form ------------------------------------- */

  function initBulk(form) {
    const all = form.querySelector('input.select-all');
    if (!all) return;
    const rowBoxSelector = 'input[type="checkbox"][name="id"]';
    function boxes() {
      return Array.prototype.filter.call(form.querySelectorAll(rowBoxSelector), function (box) {
        return !box.disabled;
      });
    }
    // "Select all N matching" shows once every row of the page is ticked,
    // as Django's does; unticking a row unticks it.
    const across = form.querySelector('.select-across');
    const acrossBox = across && across.querySelector('input[name="select_across"]');
    function sync() {
      const list = boxes();
      const checked = list.filter(function (box) { return box.checked; }).length;
      all.checked = list.length > 0 && checked === list.length;
      all.indeterminate = checked > 0 && checked < list.length;
      all.disabled = list.length === 0;
      if (across) {
        across.hidden = !all.checked;
        if (acrossBox && !all.checked) acrossBox.checked = false;
      }
      list.forEach(function (box) {
        const row = box.closest('tr');
        if (row) row.classList.toggle('is-selected', box.checked);
      });
    }
    all.addEventListener('change', function () {
      const on = all.checked;
      boxes().forEach(function (box) { box.checked = on; });
      sync();
    });
    form.addEventListener('change', function (event) {
      const target = event.target;
      if (target !== all && target.matches && target.matches(rowBoxSelector)) sync();
    });
    if (typeof MutationObserver === 'function') {
      new MutationObserver(sync).observe(form, { childList: true, subtree: true });
    }
    // Back/forward navigation may restore the boxes' states after load.
    window.addEventListener('pageshow', sync);
    sync();
  }

  /* 3. Filter builder ------------------------------------------------------ */

  const INTEGER_KINDS = ['smallint', 'integer', 'bigint'];
  const FLOAT_KINDS = ['float', 'double'];
  const NULL_OPS = ['is', 'is_not'];
  const LIST_OPS = ['in', 'not_in', 'between'];
  // The calendar operators take a whole number, whatever the date's type.
  const DAY_OPS = ['within_days', 'older_days'];
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  function listPlaceholder(kind, op) {
    const between = op === 'between';
    switch (kind) {
      case 'date': return between ? '2024-01-01,2024-12-31' : '2024-01-01,2024-02-01';
      case 'time': return between ? '09:00,17:00' : '09:00,12:30';
      case 'timestamp': return between ? '2024-01-01T00:00,2024-01-31T23:59' : '2024-01-01T09:00,2024-01-02T09:00';
      case 'timestamptz': return between ? '2024-01-01T00:00Z,2024-01-31T23:59Z' : '2024-01-01T09:00Z,2024-01-02T09:00Z';
      case 'numeric': return between ? '0.00,99.99' : '1.50,2.00';
      case 'uuid': return between ? 'low,high' : '67e55044-10b1-426f-9247-bb680e5fe0c8,…';
      case 'bool': return 'true,false';
      case 'text': return between ? 'a,m' : 'a,b,c';
      default:
        if (INTEGER_KINDS.indexOf(kind) !== -1) return between ? 'low,high' : '1,2,3';
        if (FLOAT_KINDS.indexOf(kind) !== -1) return between ? 'low,high' : '1.5,2,3.25';
        return between ? 'low,high' : 'a,b,c';
    }
  }

  // Which control a field and operator call for; `key` tells when it changes.
  function valueSpec(field, op) {
    const kind = field.kind;
    if (NULL_OPS.indexOf(op) !== -1) {
      return { key: 'null', tag: 'select', options: [['null', 'null'], ['notnull', 'not null']] };
    }
    if (LIST_OPS.indexOf(op) !== -1) {
      return { key: 'list:' + kind + ':' + op, tag: 'input', type: 'text', placeholder: listPlaceholder(kind, op) };
    }
    if (DAY_OPS.indexOf(op) !== -1) return { key: 'days', tag: 'input', type: 'number', step: '1', min: '0' };
    if (op === 'year') return { key: 'year', tag: 'input', type: 'number', step: '1', min: '1', max: '9999' };
    if (op === 'month') {
      return { key: 'month', tag: 'select', options: MONTHS.map(function (name, i) { return [String(i + 1), name]; }) };
    }
    // A choice field filters by its values, picked by their labels.
    if (Array.isArray(field.choices) && (op === 'eq' || op === 'ne')) {
      const options = field.choices
        .filter(function (c) { return c && typeof c.value === 'string'; })
        .map(function (c) { return [c.value, typeof c.label === 'string' ? c.label : c.value]; });
      return { key: 'choices:' + field.path, tag: 'select', options: options };
    }
    if (kind === 'bool') return { key: 'bool', tag: 'select', options: [['true', 'true'], ['false', 'false']] };
    if (INTEGER_KINDS.indexOf(kind) !== -1) return { key: 'integer', tag: 'input', type: 'number', step: '1' };
    if (FLOAT_KINDS.indexOf(kind) !== -1) return { key: 'float', tag: 'input', type: 'number', step: 'any' };
    if (kind === 'numeric') return { key: 'numeric', tag: 'input', type: 'number', step: 'any' };
    if (kind === 'date') return { key: 'date', tag: 'input', type: 'date' };
    if (kind === 'time') return { key: 'time', tag: 'input', type: 'time', step: '1' };
    if (kind === 'timestamp') return { key: 'timestamp', tag: 'input', type: 'datetime-local', step: '1' };
    // An instant is typed in UTC, as the forms show it.
    if (kind === 'timestamptz') {
      return { key: 'timestamptz', tag: 'input', type: 'datetime-local', step: '1', title: 'In UTC' };
    }
    return { key: 'text', tag: 'input', type: 'text' };
  }

  function buildValueControl(spec, current) {
    let control;
    if (spec.tag === 'select') {
      control = document.createElement('select');
      spec.options.forEach(function (pair) {
        const option = document.createElement('option');
        option.value = pair[0];
        option.textContent = pair[1];
        control.appendChild(option);
      });
    } else {
      control = document.createElement('input');
      control.type = spec.type;
      if (spec.step) control.step = spec.step;
      if (spec.min) control.min = spec.min;
      if (spec.max) control.max = spec.max;
      if (spec.placeholder) control.placeholder = spec.placeholder;
      if (spec.title) control.title = spec.title;
    }
    control.id = current.id || 'filter-value';
    control.name = '_filter_value';
    control.setAttribute('data-filter-control', spec.key);
    ['class', 'aria-describedby', 'required'].forEach(function (name) {
      if (current.hasAttribute(name)) control.setAttribute(name, current.getAttribute(name));
    });
    // Carry the value over where the new control accepts it.
    const old = current.value;
    if (old !== '') {
      if (control.tagName === 'SELECT') {
        const match = Array.prototype.some.call(control.options, function (o) { return o.value === old; });
        if (match) control.value = old;
      } else {
        control.value = old;
      }
    }
    return control;
  }

  function initFilterBuilder(form) {
    const fields = parseJSON(form.getAttribute('data-fields'));
    const operators = parseJSON(form.getAttribute('data-operators'));
    if (!Array.isArray(fields) || !operators || typeof operators !== 'object' || Array.isArray(operators)) return;
    const fieldSelect = form.querySelector('select[name="_filter_field"]');
    const opSelect = form.querySelector('select[name="_filter_op"]');
    if (!fieldSelect || !opSelect || !form.querySelector('[name="_filter_value"]')) return;

    // The operators' labels, from the select as the page drew it.
    const labels = new Map();
    Array.prototype.forEach.call(opSelect.options, function (option) {
      labels.set(option.value, option.textContent);
    });

    const byPath = new Map();
    fields.forEach(function (field) {
      if (field && typeof field.path === 'string' && typeof field.kind === 'string') byPath.set(field.path, field);
    });
    if (byPath.size === 0) return;

    function currentField() {
      return byPath.get(fieldSelect.value) || null;
    }

    function adaptValue() {
      const field = currentField();
      const current = form.querySelector('[name="_filter_value"]');
      if (!field || !current || !current.parentNode) return;
      const spec = valueSpec(field, opSelect.value);
      if (current.getAttribute('data-filter-control') === spec.key) return;
      const control = buildValueControl(spec, current);
      const hadFocus = document.activeElement === current;
      current.parentNode.replaceChild(control, current);
      if (hadFocus) control.focus();
    }

    function refillOperators() {
      const field = currentField();
      if (!field) return;
      const list = operators[field.kind];
      if (!Array.isArray(list)) return;
      const ops = list.filter(function (op) {
        if (typeof op !== 'string') return false;
        return !(field.nullable === false && NULL_OPS.indexOf(op) !== -1);
      });
      if (ops.length === 0) return;
      const previous = opSelect.value;
      opSelect.textContent = '';
      ops.forEach(function (op) {
        const option = document.createElement('option');
        option.value = op;
        option.textContent = labels.get(op) || op;
        opSelect.appendChild(option);
      });
      opSelect.value = ops.indexOf(previous) !== -1 ? previous : ops[0];
      adaptValue();
    }

    fieldSelect.addEventListener('change', refillOperators);
    opSelect.addEventListener('change', adaptValue);
    refillOperators();
  }

  /* 4. Foreign-key type-ahead (ARIA 1.2 combobox with a listbox popup) ------ */
  /* Makes `input` the text box of an ARIA 1.2 combobox whose listbox
     starts `expanded` or not: typed text, no browser autocomplete. */
  function comboboxInput(input, expanded) {
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', String(expanded));
  }

  /* Marks option `index` of `items` (each with its element as `el`) as the
     active option of the combobox `input`, unmarking option `previous`;
     answers the index marked, or -1 for none. */
  function markActive(input, items, previous, index) {
    if (previous >= 0 && items[previous]) items[previous].el.removeAttribute('aria-selected');
    const next = index >= 0 && index < items.length ? index : -1;
    if (next >= 0) {
      const el = items[next].el;
      el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', el.id);
      if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
    return next;
  }


  const DEBOUNCE_MS = 200;

  function initLookup(original) {
    const lookupUrl = original.getAttribute('data-lookup-url');
    if (!lookupUrl || !original.parentNode || original.getAttribute('data-fk-lookup-ready')) return;
    original.setAttribute('data-fk-lookup-ready', '1');

    const baseId = original.id || nextId('fk-lookup');
    const widget = document.createElement('div');
    widget.className = 'fk-lookup-widget';

    const input = document.createElement('input');
    comboboxInput(input, false);
    input.className = 'fk-lookup-input';
    ['aria-describedby', 'aria-invalid', 'required', 'disabled', 'readonly'].forEach(function (name) {
      if (original.hasAttribute(name)) input.setAttribute(name, original.getAttribute(name));
    });

    const list = document.createElement('ul');
    list.className = 'fk-lookup-list';
    list.id = baseId + '-listbox';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.setAttribute('aria-controls', list.id);

    const status = document.createElement('span');
    status.className = 'fk-lookup-status visually-hidden';
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');

    // The original keeps the name and the id value; the visible input takes its id.
    const display = original.getAttribute('data-display') || '';
    original.id = baseId + '-value';
    original.type = 'hidden';
    input.id = baseId;
    input.value = display || original.value || '';

    original.parentNode.insertBefore(widget, original);
    widget.appendChild(input);
    widget.appendChild(list);
    widget.appendChild(status);
    widget.appendChild(original);

    const label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) label.id = baseId + '-label';
      list.setAttribute('aria-labelledby', label.id);
    }

    let selectedText = input.value;
    let options = []; // { el, kind: 'object' | 'more', id, text }
    let active = -1;
    let query = '';
    let page = 1;
    let count = 0;
    let seq = 0;
    let timer = 0;

    function isOpen() {
      return !list.hidden;
    }

    function setActive(index) {
      active = markActive(input, options, active, index);
    }

    function setOpen(open) {
      if (!open) setActive(-1);
      list.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
    }

    function announce(text) {
      status.textContent = text;
    }

    function clearList() {
      setActive(-1);
      list.textContent = '';
      options = [];
      count = 0;
    }

    function removeTail() {
      // Drops the "More…" option and any message before a page is appended.
      setActive(-1);
      options = options.filter(function (entry) {
        if (entry.kind === 'more') {
          entry.el.remove();
          return false;
        }
        return true;
      });
      Array.prototype.forEach.call(list.querySelectorAll('.fk-lookup-message'), function (el) { el.remove(); });
    }

    function addOption(text, kind, id) {
      const li = document.createElement('li');
      li.id = nextId(list.id + '-option');
      li.className = kind === 'more' ? 'fk-lookup-option fk-lookup-more' : 'fk-lookup-option';
      li.setAttribute('role', 'option');
      li.textContent = text;
      list.appendChild(li);
      options.push({ el: li, kind: kind, id: id, text: text });
    }

    function addMessage(text) {
      const li = document.createElement('li');
      li.id = nextId(list.id + '-message');
      li.className = 'fk-lookup-message';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-disabled', 'true');
      li.textContent = text;
      list.appendChild(li);
    }

    function render(data, q, pageNo, append) {
      if (append) removeTail();
      else clearList();
      query = q;
      page = pageNo;
      const firstNew = options.length;
      data.objects.forEach(function (obj) {
        if (!obj || obj.id === undefined || obj.id === null) return;
        const text = obj.repr === undefined || obj.repr === null ? String(obj.id) : String(obj.repr);
        addOption(text, 'object', String(obj.id));
        count += 1;
      });
      const hasNext = data.has_next === true;
      if (count === 0) addMessage('No matches');
      if (hasNext) addOption('More…', 'more', null);
      setOpen(true);
      if (append && firstNew < options.length) setActive(firstNew);
      let text = count === 1 ? '1 result' : count + ' results';
      if (hasNext) text += ', more available';
      announce(text);
    }

    function showError(append) {
      if (append) removeTail();
      else clearList();
      addMessage('Could not load choices');
      setOpen(true);
      announce('Could not load choices');
    }

    function load(q, pageNo, append) {
      clearTimeout(timer);
      seq += 1;
      const mine = seq;
      let target;
      try {
        target = new URL(lookupUrl, window.location.href);
      } catch (e) {
        return;
      }
      target.searchParams.set('q', q);
      target.searchParams.set('page', String(pageNo));
      list.setAttribute('aria-busy', 'true');
      fetch(target.toString(), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine !== seq) return;
          if (!data || !Array.isArray(data.objects)) throw new Error('Unexpected answer');
          render(data, q, pageNo, append);
        })
        .catch(function () {
          if (mine === seq) showError(append);
        })
        .then(function () {
          if (mine === seq) list.removeAttribute('aria-busy');
        });
    }

    function cancelPending() {
      clearTimeout(timer);
      seq += 1;
      list.removeAttribute('aria-busy');
    }

    function setHidden(value) {
      if (original.value === value) return;
      original.value = value;
      original.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function choose(entry) {
      if (!entry) return;
      if (entry.kind === 'more') {
        load(query, page + 1, true);
        return;
      }
      setHidden(entry.id);
      selectedText = entry.text;
      input.value = entry.text;
      setOpen(false);
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text === '') {
        cancelPending();
        setHidden('');
        selectedText = '';
        clearList();
        setOpen(false);
        announce('');
        return;
      }
      seq += 1; // an answer for older text is stale now
      timer = setTimeout(function () { load(text, 1, false); }, DEBOUNCE_MS);
    });

    input.addEventListener('keydown', function (event) {
      if (event.isComposing || event.keyCode === 229) return;
      switch (event.key) {
        case 'ArrowDown':
        case 'Down':
          event.preventDefault();
          if (isOpen()) {
            if (!event.altKey && options.length) setActive(active < options.length - 1 ? active + 1 : 0);
          } else if (options.length && query === input.value.trim()) {
            setOpen(true);
            if (!event.altKey) setActive(0);
          } else {
            load(input.value.trim(), 1, false);
          }
          break;
        case 'ArrowUp':
        case 'Up':
          if (isOpen()) {
            event.preventDefault();
            if (options.length) setActive(active > 0 ? active - 1 : options.length - 1);
          } else if (options.length && query === input.value.trim()) {
            event.preventDefault();
            setOpen(true);
            setActive(options.length - 1);
          }
          break;
        case 'Enter':
          if (isOpen()) {
            event.preventDefault();
            if (active >= 0) choose(options[active]);
            else setOpen(false);
          }
          break;
        case 'Escape':
        case 'Esc':
          if (isOpen()) {
            event.preventDefault();
            cancelPending();
            setOpen(false);
          } else if (input.value !== selectedText) {
            event.preventDefault();
            cancelPending();
            input.value = selectedText;
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener('blur', function () {
      cancelPending();
      setOpen(false);
      if (input.value !== selectedText) input.value = selectedText;
    });

    // Keep focus in the input while the pointer picks an option.
    list.addEventListener('mousedown', function (event) {
      event.preventDefault();
    });
    list.addEventListener('click', function (event) {
      const li = event.target.closest ? event.target.closest('li') : null;
      if (!li) return;
      const entry = options.find(function (o) { return o.el === li; });
      if (entry) {
        choose(entry);
        if (document.activeElement !== input) input.focus();
      }
    });
  }

  /* Inlines: "Add another" clones the template row -------------------------- */

  function initInline(group) {
    const template = group.querySelector('template[data-inline-template]');
    const add = group.querySelector('[data-inline-add]');
    const total = group.querySelector('input[data-total-forms]');
    const rows = group.querySelector('[data-inline-rows]');
    if (!template || !add || !total || !rows) return;
    const max = parseInt(group.getAttribute('data-max-num'), 10);
    const attrs = ['name', 'id', 'for', 'aria-describedby', 'aria-labelledby'];
    function count() {
      const n = parseInt(total.value, 10);
      return isNaN(n) ? 0 : n;
    }
    function sync() {
      add.hidden = !isNaN(max) && count() >= max;
    }
    add.addEventListener('click', function () {
      const index = count();
      if (!isNaN(max) && index >= max) return;
      const row = template.content.cloneNode(true);
      Array.prototype.forEach.call(row.querySelectorAll('*'), function (el) {
        attrs.forEach(function (attr) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.split('__prefix__').join(String(index)));
        });
      });
      const lookups = row.querySelectorAll('input.fk-lookup[data-lookup-url]');
      const first = row.querySelector('input:not([type="hidden"]), select, textarea');
      rows.appendChild(row);
      Array.prototype.forEach.call(lookups, initLookup);
      total.value = String(index + 1);
      sync();
      if (first) first.focus();
    });
    sync();
  }

  /* Keyboard: shortcuts, their help and the command palette ---------------- */
  /* The keys follow what Gmail's and GitHub's users already know: single
     letters, `g` then a letter to go somewhere, `?` for the list, and
     Ctrl+K (Cmd+K) for a palette. A key never fires while the user types in
     a field, nor with Ctrl, Alt or Meta held (only Ctrl+K / Cmd+K), so the
     browser's and the screen reader's own keys keep working. */

  const SEQUENCE_MS = 1500;
  const RECENT_MAX = 10;
  const PALETTE_MAX = 50;
  const APPLE = /Mac|iPhone|iPad|iPod/.test(navigator.platform || '');

  // Where a key is text, not a command: text fields, selects, editable content.
  const NOT_TYPING = ['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'range', 'color', 'file'];
  function isTyping(el) {
    if (!el || el.nodeType !== 1) return false;
    if (el.isContentEditable) return true;
    const tag = el.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT') return NOT_TYPING.indexOf((el.type || 'text').toLowerCase()) === -1;
    return el.getAttribute('role') === 'combobox' || el.getAttribute('role') === 'textbox';
  }

  // Where Enter already means something: links, buttons, form controls.
  function isInteractive(el) {
    return !!(el && el.closest && el.closest('a[href], button, input, select, textarea, summary, [role="button"], [role="link"], [contenteditable]'));
  }

  function sameSiteUrl(href, home) {
    let url;
    try {
      url = new URL(href, window.location.href);
    } catch (e) {
      return null;
    }
    if (url.origin !== window.location.origin) return null;
    if (home && url.pathname.indexOf(home) !== 0) return null;
    return url.pathname + url.search;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // `Ctrl+K` is a chord, `g m` a sequence (g, then m), `?` one key.
  function keyCaps(spec) {
    const chord = spec.length > 1 && spec.indexOf('+') !== -1;
    const keys = chord ? spec.split('+') : spec.split(' ');
    const span = el('span', 'kbd-keys');
    keys.forEach(function (key, index) {
      if (index > 0) span.appendChild(document.createTextNode(chord ? '+' : ' then '));
      span.appendChild(el('kbd', '', key));
    });
    return span;
  }

  /* The sidebar: the models (each with its `g` letter) and the panels. */

  function homePath() {
    const home = document.querySelector('.site-title[href]');
    return home ? sameSiteUrl(home.getAttribute('href'), '') : null;
  }

  function sidebarLinks(kind) {
    let list = document.querySelector('#admin-nav [data-nav="' + kind + '"]');
    // An app's own frame may lack the marks: its first list holds the models.
    if (!list && kind === 'models') list = document.querySelector('#admin-nav ul');
    if (!list) return [];
    return Array.prototype.filter.call(list.querySelectorAll('a[href]'), function (a) {
      return a.textContent.trim() !== '';
    });
  }

  // Each model gets the first letter of its name that no model above it
  // took, so the sidebar's order decides and a letter never moves when a
  // model below is added.
  function modelKeys() {
    const taken = new Set();
    return sidebarLinks('models').map(function (a) {
      const name = a.textContent.trim();
      const letters = name.toLowerCase().replace(/[^a-z]/g, '');
      let key = null;
      for (let i = 0; i < letters.length; i += 1) {
        if (!taken.has(letters[i])) {
          key = letters[i];
          break;
        }
      }
      if (key) taken.add(key);
      return { key: key, name: name, url: a.href };
    });
  }

  /* Recent objects: the edit and view pages the user opened, newest first,
     kept in this browser's localStorage under a key per admin site and
     user, and dropped at logout. Nothing is sent to the server. */

  function recentKey() {
    const home = homePath();
    if (home === null) return null;
    const who = document.querySelector('.account-name');
    return 'hangar.recent:' + home + ':' + (who ? who.textContent.trim() : '');
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function readRecent() {
    const store = storage();
    const key = recentKey();
    if (!store || !key) return [];
    let list;
    try {
      list = parseJSON(store.getItem(key));
    } catch (e) {
      return [];
    }
    if (!Array.isArray(list)) return [];
    const home = homePath();
    return list.filter(function (entry) {
      return entry && typeof entry.url === 'string' && typeof entry.display === 'string' &&
        typeof entry.model === 'string' && sameSiteUrl(entry.url, home) === entry.url;
    }).slice(0, RECENT_MAX);
  }

  function writeRecent(list) {
    const store = storage();
    const key = recentKey();
    if (!store || !key) return;
    try {
      if (list.length) store.setItem(key, JSON.stringify(list.slice(0, RECENT_MAX)));
      else store.removeItem(key);
    } catch (e) {
      // Full or refused storage: the palette does without.
    }
  }

  function forgetRecent(url) {
    writeRecent(readRecent().filter(function (entry) { return entry.url !== url; }));
  }

  function rememberObject(source) {
    const url = sameSiteUrl(source.getAttribute('data-recent-url') || '', homePath());
    const display = (source.getAttribute('data-recent-display') || '').slice(0, 200);
    const model = (source.getAttribute('data-recent-model') || '').slice(0, 100);
    if (!url || !display) return;
    const list = readRecent().filter(function (entry) { return entry.url !== url; });
    list.unshift({ url: url, model: model, display: display });
    writeRecent(list);
  }

  function initRecent() {
    const source = document.querySelector('[data-recent-url]');
    if (source) rememberObject(source);
    // The next person at this browser does not see what this user opened.
    each('form.logout', function (form) {
      form.addEventListener('submit', function () { writeRecent([]); });
    });
    // A deleted object leaves the list.
    each('form.confirm-delete', function (form) {
      form.addEventListener('submit', function () {
        const path = window.location.pathname;
        if (/\/delete\/$/.test(path)) forgetRecent(path.replace(/delete\/$/, ''));
      });
    });
  }

  /* Dialogs: <dialog> opened with showModal(), so the page behind is inert
     and Tab stays inside; Esc closes it (the browser's `cancel`), and the
     focus goes back where it was. */

  function makeDialog(className, title, hideTitle) {
    const dialog = el('dialog', 'kbd-dialog ' + className);
    const id = nextId(className);
    const inner = el('div', 'kbd-dialog-body');
    const head = el('div', 'kbd-dialog-head');
    const heading = el('h2', '', title);
    heading.id = id + '-title';
    if (hideTitle) heading.className = 'visually-hidden';
    const close = el('button', 'kbd-dialog-close', 'Close');
    close.type = 'button';
    close.addEventListener('click', function () { dialog.close(); });
    head.appendChild(heading);
    head.appendChild(close);
    inner.appendChild(head);
    dialog.appendChild(inner);
    dialog.setAttribute('aria-labelledby', heading.id);
    // A click on the backdrop (the dialog itself, outside its body) closes it.
    dialog.addEventListener('click', function (event) {
      if (event.target === dialog) dialog.close();
    });
    let returnTo = null;
    dialog.addEventListener('close', function () {
      const target = returnTo;
      returnTo = null;
      if (target && target.isConnected && typeof target.focus === 'function') target.focus();
    });
    document.body.appendChild(dialog);
    return {
      dialog: dialog,
      body: inner,
      id: id,
      open: function (focus) {
        if (dialog.open) return;
        returnTo = document.activeElement;
        dialog.showModal();
        if (focus) focus.focus();
      },
    };
  }

  function anyDialogOpen() {
    return !!document.querySelector('dialog[open]');
  }

  /* `?`: every key, the models' letters included. */

  function buildHelp(models) {
    const help = makeDialog('kbd-help', 'Keyboard shortcuts');
    const paletteKeys = APPLE ? '⌘+K' : 'Ctrl+K';
    function section(title, rows) {
      const block = el('section', 'kbd-section');
      const heading = el('h3', '', title);
      heading.id = nextId('kbd-section');
      block.setAttribute('aria-labelledby', heading.id);
      block.appendChild(heading);
      const list = el('dl', 'kbd-list');
      rows.forEach(function (row) {
        const item = el('div', 'kbd-item');
        const dt = el('dt');
        dt.appendChild(keyCaps(row[0]));
        item.appendChild(dt);
        item.appendChild(el('dd', '', row[1]));
        list.appendChild(item);
      });
      block.appendChild(list);
      help.body.appendChild(block);
    }
    section('Anywhere', [
      ['?', 'Show this list'],
      [paletteKeys, 'Go to a model, a panel or an object you opened recently'],
      ['/', 'Search the list (elsewhere, open the palette)'],
      ['Esc', 'Close this list or the palette'],
    ]);
    section('In a list', [
      ['j', 'Next row'],
      ['k', 'Previous row'],
      ['x', 'Select or unselect the row, for an action'],
      ['Enter', 'Open the row'],
    ]);
    const letters = models.filter(function (m) { return m.key; });
    if (letters.length) {
      section('Go to a model: g, then its letter', letters.map(function (m) {
        return ['g ' + m.key, m.name];
      }));
    }
    help.body.appendChild(el('p', 'kbd-note', 'Keys do nothing while you type in a field.'));
    return help;
  }

  /* Ctrl+K / Cmd+K: the command palette, an ARIA 1.2 combobox whose listbox
     is always shown; the active option is aria-activedescendant, so the
     focus stays in the input. */

  function buildPalette(models) {
    const palette = makeDialog('palette', 'Go to', true);
    const dialog = palette.dialog;
    const label = el('label', 'palette-label', 'Go to a model, a panel or a recent object');
    const input = el('input', 'palette-input');
    const list = el('ul', 'palette-list');
    const empty = el('p', 'palette-empty', 'Nothing matches.');
    const status = el('p', 'visually-hidden');
    const hint = el('p', 'palette-hint');
    label.id = palette.id + '-label';
    input.id = palette.id + '-input';
    label.htmlFor = input.id;
    comboboxInput(input, true);
    list.id = palette.id + '-listbox';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-labelledby', label.id);
    input.setAttribute('aria-controls', list.id);
    empty.hidden = true;
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');
    hint.appendChild(keyCaps('↑'));
    hint.appendChild(document.createTextNode(' '));
    hint.appendChild(keyCaps('↓'));
    hint.appendChild(document.createTextNode(' move, '));
    hint.appendChild(keyCaps('Enter'));
    hint.appendChild(document.createTextNode(' goes, '));
    hint.appendChild(keyCaps('Esc'));
    hint.appendChild(document.createTextNode(' closes'));
    // The visible label goes first, above the input.
    palette.body.insertBefore(label, palette.body.firstChild.nextSibling);
    [input, list, empty, hint, status].forEach(function (node) { palette.body.appendChild(node); });

    let entries = [];
    let shown = [];
    let active = -1;

    function collect() {
      const items = [];
      readRecent().forEach(function (entry) {
        items.push({ label: entry.display, kind: 'Recent ' + (entry.model || 'object').toLowerCase(), url: entry.url });
      });
      const home = document.querySelector('.site-title[href]');
      if (home) items.push({ label: 'Dashboard', kind: 'Page', url: home.href });
      models.forEach(function (m) { items.push({ label: m.name, kind: 'Model', url: m.url }); });
      sidebarLinks('panels').forEach(function (a) {
        items.push({ label: a.textContent.trim(), kind: 'Panel', url: a.href });
      });
      return items;
    }

    function setActive(index) {
      active = markActive(input, shown, active, index);
    }

    // Every word typed must appear in the entry's name or kind; names that
    // start with what was typed come first.
    function filter() {
      const query = input.value.trim().toLowerCase();
      const terms = query.split(/\s+/).filter(Boolean);
      const matches = entries.filter(function (entry) {
        const text = (entry.label + ' ' + entry.kind).toLowerCase();
        return terms.every(function (term) { return text.indexOf(term) !== -1; });
      });
      if (query) {
        const starts = matches.filter(function (e) { return e.label.toLowerCase().indexOf(query) === 0; });
        const rest = matches.filter(function (e) { return e.label.toLowerCase().indexOf(query) !== 0; });
        return starts.concat(rest).slice(0, PALETTE_MAX);
      }
      return matches.slice(0, PALETTE_MAX);
    }

    function render() {
      setActive(-1);
      list.textContent = '';
      shown = filter().map(function (entry) {
        const option = el('li', 'palette-option');
        option.id = nextId(list.id + '-option');
        option.setAttribute('role', 'option');
        option.appendChild(el('span', 'palette-name', entry.label));
        option.appendChild(document.createTextNode(' '));
        option.appendChild(el('span', 'palette-kind', entry.kind));
        list.appendChild(option);
        return { el: option, entry: entry };
      });
      const none = shown.length === 0;
      list.hidden = none;
      empty.hidden = !none;
      input.setAttribute('aria-expanded', none ? 'false' : 'true');
      status.textContent = none ? 'Nothing matches' : (shown.length === 1 ? '1 result' : shown.length + ' results');
      if (!none) setActive(0);
    }

    function go(index) {
      const item = shown[index];
      if (!item) return;
      const url = sameSiteUrl(item.entry.url, '');
      if (url === null) return;
      dialog.close();
      window.location.assign(url);
    }

    input.addEventListener('input', render);
    input.addEventListener('keydown', function (event) {
      if (event.isComposing || event.keyCode === 229) return;
      switch (event.key) {
        case 'ArrowDown':
        case 'Down':
          event.preventDefault();
          if (shown.length) setActive(active < shown.length - 1 ? active + 1 : 0);
          break;
        case 'ArrowUp':
        case 'Up':
          event.preventDefault();
          if (shown.length) setActive(active > 0 ? active - 1 : shown.length - 1);
          break;
        case 'Enter':
          event.preventDefault();
          if (active >= 0) go(active);
          break;
        default:
          break;
      }
    });
    list.addEventListener('mousedown', function (event) { event.preventDefault(); });
    list.addEventListener('click', function (event) {
      const option = event.target.closest ? event.target.closest('[role="option"]') : null;
      const index = shown.findIndex(function (item) { return item.el === option; });
      if (index >= 0) go(index);
    });

    return {
      dialog: dialog,
      open: function () {
        entries = collect();
        input.value = '';
        render();
        palette.open(input);
      },
    };
  }

  /* j / k / x / Enter: the list's rows. The current row is marked (class
     and aria-current) and its link takes the focus, so the focus ring
     shows where it is and Enter, or a screen reader, acts on that link. */

  function listRows() {
    return Array.prototype.filter.call(document.querySelectorAll('table.results tbody tr'), function (row) {
      return !!row.querySelector('a[href]');
    });
  }

  function currentRow() {
    return document.querySelector('table.results tbody tr.is-current');
  }

  function markRow(row) {
    const previous = currentRow();
    if (previous === row) return;
    if (previous) {
      previous.classList.remove('is-current');
      previous.removeAttribute('aria-current');
    }
    row.classList.add('is-current');
    row.setAttribute('aria-current', 'true');
  }

  function moveRow(step) {
    const rows = listRows();
    if (!rows.length) return false;
    const index = rows.indexOf(currentRow());
    // From no row, either key starts at the first; the ends do not wrap.
    const next = index === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, index + step));
    const row = rows[next];
    markRow(row);
    const link = row.querySelector('a[href]');
    link.focus({ preventScroll: true });
    if (typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
    return true;
  }

  function toggleRow() {
    const row = currentRow();
    const box = row && row.querySelector('input[type="checkbox"][name="id"]');
    if (!box || box.disabled) return false;
    // A click, so the bulk form's own listeners (select all, the row's
    // highlight) hear it as they hear the mouse.
    box.click();
    return true;
  }

  function openRow() {
    const row = currentRow();
    const link = row && row.querySelector('a[href]');
    if (!link) return false;
    link.click();
    return true;
  }

  function initKeyboard() {
    if (!document.querySelector('.admin-layout') || typeof HTMLDialogElement !== 'function') return;
    const models = modelKeys();
    let help = null;
    let palette = null;
    function openHelp() {
      if (!help) help = buildHelp(models);
      help.open(help.dialog.querySelector('.kbd-dialog-close'));
    }
    function openPalette() {
      if (!palette) palette = buildPalette(models);
      palette.open();
    }

    // Tools in the header, so the keys can be found without knowing them.
    const account = document.querySelector('.admin-header .account');
    if (account) {
      const tools = el('div', 'kbd-tools');
      const go = el('button', 'header-button', 'Go to…');
      go.type = 'button';
      go.setAttribute('aria-keyshortcuts', APPLE ? 'Meta+K' : 'Control+K');
      go.addEventListener('click', openPalette);
      const keys = el('button', 'header-button', 'Shortcuts');
      keys.type = 'button';
      keys.setAttribute('aria-keyshortcuts', '?');
      keys.addEventListener('click', openHelp);
      tools.appendChild(go);
      tools.appendChild(keys);
      account.insertBefore(tools, account.firstChild);
    }

    // A row whose link is tabbed to becomes the current row.
    document.addEventListener('focusin', function (event) {
      const row = event.target.closest && event.target.closest('table.results tbody tr');
      if (row && row.querySelector('a[href]')) markRow(row);
    });

    let sequence = false;
    let sequenceTimer = 0;
    function endSequence() {
      sequence = false;
      clearTimeout(sequenceTimer);
    }

    document.addEventListener('keydown', function (event) {
      if (event.defaultPrevented || event.isComposing || event.keyCode === 229) return;
      const key = event.key;
      const target = event.target;
      // Ctrl+K / Cmd+K opens the palette, even from a field; only Ctrl+K
      // in an Apple field is left alone, where it deletes to the line's end.
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (key === 'k' || key === 'K')) {
        if (APPLE && event.ctrlKey && isTyping(target)) return;
        if (anyDialogOpen()) return;
        event.preventDefault();
        endSequence();
        openPalette();
        return;
      }
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (isTyping(target) || anyDialogOpen()) {
        endSequence();
        return;
      }
      if (sequence) {
        endSequence();
        const model = models.find(function (m) { return m.key && m.key === key.toLowerCase(); });
        if (model) {
          event.preventDefault();
          window.location.assign(model.url);
          return;
        }
      }
      let handled = true;
      switch (key) {
        case '?':
          openHelp();
          break;
        case '/': {
          const search = document.querySelector('form[role="search"] input[type="search"], input[type="search"]');
          if (search) {
            search.focus();
            search.select();
          } else {
            openPalette();
          }
          break;
        }
        case 'g':
          sequence = true;
          sequenceTimer = setTimeout(endSequence, SEQUENCE_MS);
          break;
        case 'j':
          handled = moveRow(1);
          break;
        case 'k':
          handled = moveRow(-1);
          break;
        case 'x':
          handled = toggleRow();
          break;
        case 'Enter':
          handled = !isInteractive(target) && openRow();
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    });
  }

  /* Start ------------------------------------------------------------------ */

  function start() {
    each('.nav-toggle', initNavToggle);
    each('form.bulk', initBulk);
    each('form.filter-builder', initFilterBuilder);
    each('input.fk-lookup[data-lookup-url]', initLookup);
    each('fieldset[data-inline]', initInline);
    initRecent();
    initKeyboard();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
