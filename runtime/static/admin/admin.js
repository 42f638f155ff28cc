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

  const DEBOUNCE_MS = 200;

  function initLookup(original) {
    const lookupUrl = original.getAttribute('data-lookup-url');
    if (!lookupUrl || !original.parentNode || original.getAttribute('data-fk-lookup-ready')) return;
    original.setAttribute('data-fk-lookup-ready', '1');

    const baseId = original.id || nextId('fk-lookup');
    const widget = document.createElement('div');
    widget.className = 'fk-lookup-widget';

    const input = document.createElement('input');
    input.type = 'text';
    input.className = 'fk-lookup-input';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
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
      if (active >= 0 && options[active]) options[active].el.removeAttribute('aria-selected');
      active = index >= 0 && index < options.length ? index : -1;
      if (active >= 0) {
        const el = options[active].el;
        el.setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', el.id);
        if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
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

  /* Start ------------------------------------------------------------------ */

  function start() {
    each('.nav-toggle', initNavToggle);
    each('form.bulk', initBulk);
    each('form.filter-builder', initFilterBuilder);
    each('input.fk-lookup[data-lookup-url]', initLookup);
    each('fieldset[data-inline]', initInline);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
