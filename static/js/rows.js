// The tables of the 申报书's edit page (indicators, enterprises) grow and shrink in the page.
//
// "Add a row" is an htmx button (hx-get on it): the row endpoint (projects/views/rows.py) answers with an empty
// row named with the next index. An unsaved row's "Remove" takes it off the page; a saved row is removed on
// saving, by its ticked "Remove" box. Rows stay numbered 0…n-1, as Django's formset reads them, and TOTAL_FORMS
// counts them. A block pasted from a spreadsheet (tab-separated lines) fills the rows from the cell it is pasted
// into, one line a row, one column a field in the table's order, and asks the endpoint for the rows it needs.
// Without this script the page offers its empty rows, and more after saving. Its own file: the CSP allows no
// inline script.
(() => {
  const ROW = "tr[data-row]";
  const FIELD = "input:not([type=checkbox]):not([type=hidden]), select, textarea";
  const language = document.documentElement.lang || undefined;
  const plural = new Intl.PluralRules(language);

  const rowsOf = (table) => Array.from(table.tBodies[0].querySelectorAll(ROW));
  const totalOf = (table) => document.getElementById(`id_${table.dataset.prefix}-TOTAL_FORMS`);
  const addButtonOf = (table) => document.getElementById(`${table.dataset.prefix}-add`);
  const sentencesOf = (table) => JSON.parse(table.dataset.sentences);

  function counted(forms, count) {
    return (forms[plural.select(count)] || forms.other).replace("%(count)s", String(count));
  }

  function say(table, text) {
    document.getElementById(`${table.dataset.prefix}-status`).textContent = text;
  }

  // Each row's names, ids and labels say its place: after a removal the rows below move up by one.
  function renumber(table) {
    const pattern = new RegExp(`${table.dataset.prefix}-\\d+-`, "g");
    rowsOf(table).forEach((row, index) => {
      const name = `${table.dataset.prefix}-${index}-`;
      for (const element of [row, ...row.querySelectorAll("*")]) {
        for (const attribute of ["id", "name", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value && value.replace(pattern, name) !== value) {
            element.setAttribute(attribute, value.replace(pattern, name));
          }
        }
        if (element.dataset.rowText) {
          element.textContent = element.dataset.rowText.replace("__n__", String(index + 1));
        }
      }
    });
  }

  function sync(table) {
    renumber(table);
    const rows = rowsOf(table);
    totalOf(table).value = String(rows.length);
    for (const button of table.querySelectorAll("[data-row-remove]")) {
      button.hidden = false;
    }
    const full = rows.length >= Number(table.dataset.maxRows);
    addButtonOf(table).disabled = full;
    return full;
  }

  function firstField(row) {
    return row ? row.querySelector(FIELD) : null;
  }

  function remove(table, row) {
    const rows = rowsOf(table);
    const index = rows.indexOf(row);
    row.remove();
    sync(table);
    say(table, sentencesOf(table).removed);
    const next = firstField(rows[index + 1] || rows[index - 1]) || addButtonOf(table);
    next.focus();
  }

  // Lines and cells as spreadsheets copy them: tabs between cells, a line break between rows; a cell in double
  // quotes may hold tabs, line breaks and "" for a quote. Lines with nothing in them are left out.
  function parseBlock(text) {
    const lines = [];
    let line = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (c === '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c === '"' && cell === "") {
        quoted = true;
      } else if (c === "\t") {
        line.push(cell);
        cell = "";
      } else if (c === "\r" || c === "\n") {
        if (c === "\r" && text[i + 1] === "\n") i += 1;
        line.push(cell);
        lines.push(line);
        line = [];
        cell = "";
      } else {
        cell += c;
      }
    }
    if (cell !== "" || line.length) {
      line.push(cell);
      lines.push(line);
    }
    return lines.filter((cells) => cells.some((value) => value.trim() !== ""));
  }

  // A choice (the province) is found by its code or its name, in full or its beginning ("浙江" is 浙江省).
  function choose(select, value) {
    const wanted = value.toLowerCase();
    const options = Array.from(select.options).filter((option) => option.value);
    const text = (option) => option.text.trim().toLowerCase();
    const match =
      options.find((option) => option.value.toLowerCase() === wanted || text(option) === wanted) ||
      (wanted && options.find((option) => text(option).startsWith(wanted) || wanted.startsWith(text(option))));
    return match ? match.value : "";
  }

  function fill(field, value) {
    if (!field) return;
    field.value = field.tagName === "SELECT" ? choose(field, value) : value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function addRows(table, count) {
    const prefix = table.dataset.prefix;
    return htmx.ajax("GET", table.dataset.rowUrl, {
      target: `#${prefix}-rows`,
      swap: "beforeend",
      values: { [`${prefix}-TOTAL_FORMS`]: totalOf(table).value, count: String(count) },
    });
  }

  async function paste(table, event) {
    const cell = event.target.closest("td[data-column]");
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    // One value, as typed or copied from one cell: the browser pastes it.
    if (!cell || !/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return;
    event.preventDefault();
    const lines = parseBlock(text);
    const start = rowsOf(table).indexOf(cell.closest(ROW));
    const column = Array.from(cell.closest(ROW).querySelectorAll("td[data-column]")).indexOf(cell);
    const wanted = Math.min(start + lines.length, Number(table.dataset.maxRows));
    if (wanted > rowsOf(table).length) {
      await addRows(table, wanted - rowsOf(table).length);
      sync(table);
    }
    const rows = rowsOf(table);
    let filled = 0;
    lines.forEach((values, offset) => {
      const row = rows[start + offset];
      if (!row) return;
      const cells = row.querySelectorAll("td[data-column]");
      values.forEach((value, j) => {
        const target = cells[column + j];
        if (target) fill(target.querySelector(FIELD), value.trim());
      });
      filled += 1;
    });
    const sentences = sentencesOf(table);
    const left = lines.length - filled;
    say(table, [counted(sentences.pasted, filled), left > 0 ? counted(sentences.cut, left) : ""].join(" ").trim());
  }

  function tableOf(element) {
    const body = element && element.closest ? element.closest("tbody") : null;
    return body ? body.closest("table[data-rows]") : null;
  }

  function refusal(event) {
    const xhr = event.detail.xhr;
    const text = xhr && xhr.responseText ? new DOMParser().parseFromString(xhr.responseText, "text/html").body.textContent : "";
    return text.trim();
  }

  function start() {
    if (!window.htmx) return; // the rows then come as the page gives them, and after saving
    for (const table of document.querySelectorAll("table[data-rows]")) {
      document.getElementById(`${table.dataset.prefix}-tools`).hidden = false;
      sync(table);
      table.addEventListener("click", (event) => {
        const button = event.target.closest("[data-row-remove]");
        if (button) remove(table, button.closest(ROW));
      });
      table.addEventListener("paste", (event) => paste(table, event));
    }
    document.body.addEventListener("htmx:afterSwap", (event) => {
      const table = tableOf(event.detail.target);
      if (!table) return;
      const full = sync(table);
      if (event.detail.requestConfig && event.detail.requestConfig.elt === addButtonOf(table)) {
        const rows = rowsOf(table);
        firstField(rows[rows.length - 1]).focus();
        say(table, full ? sentencesOf(table).full : "");
      }
    });
    for (const name of ["htmx:responseError", "htmx:sendError"]) {
      document.body.addEventListener(name, (event) => {
        const table = tableOf(event.detail.target);
        if (table) say(table, refusal(event) || sentencesOf(table).failed);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
