// Region picker (regions/widgets.py): search a region by name and choose it from a list that shows each
// region's full path (山东省 济南市 济阳区), or pick it level by level (省 > 市 > 县 …) from cascading lists,
// which is easier on a phone. The chosen code travels in a hidden `<name>__code` input; the visible box keeps
// the path, so without this script the form still works: the server resolves the typed name.
// No inline script or style (CSP): elements are shown and hidden with the `hidden` attribute.
(() => {
  "use strict";
  const SEP = /[、；;,，\n]+/;
  const JOIN = "、";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    const input = box.querySelector("input[data-region-input]");
    if (!input || input.disabled || input.readOnly) return; // a locked field (an enterprise's own region)
    const jump = box.hasAttribute("data-region-jump");
    box.hidden = false; // shown only where this script runs
    const name = input.name || "region-search";
    const multiple = box.dataset.multiple === "1";
    const base = {
      within: box.dataset.within || "",
      min_level: box.dataset.minLevel || "1",
      max_level: box.dataset.maxLevel || "5",
    };
    const chosen = new Map(); // path text -> code
    const hiddenInputs = Array.from(box.querySelectorAll('input[type="hidden"]'));
    const parts = () => (multiple ? input.value.split(SEP) : [input.value]).map((p) => p.trim()).filter(Boolean);
    const initialParts = parts();
    hiddenInputs.forEach((h, i) => {
      if (initialParts[i]) chosen.set(initialParts[i], h.value);
    });

    const list = el("ul", { class: "region-picker-results", role: "listbox", hidden: "" });
    const status = el("div", { class: "help region-picker-status", "aria-live": "polite" });
    const toggle = el("button", { type: "button", class: "secondary small region-picker-toggle" }, "逐级选择");
    const cascade = el("div", { class: "region-cascade", hidden: "" });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.after(list, status);
    if (!jump) status.before(toggle, cascade); // list filters have their own level-by-level lists

    function syncHidden() {
      if (jump) return; // a list filter submits the chosen code in its own region field
      box.querySelectorAll('input[type="hidden"]').forEach((h) => h.remove());
      const codes = parts().map((p) => chosen.get(p));
      if (codes.length === 0 || codes.some((c) => !c)) return; // the server reads the text instead
      for (const code of codes) box.append(el("input", { type: "hidden", name: name + "__code", value: code }));
    }

    function choose(result) {
      chosen.set(result.path, result.code);
      if (multiple) {
        const current = parts();
        if (!current.includes(result.path)) {
          // Replace the part being typed (the last one) unless it is already a chosen region.
          if (current.length && !chosen.has(current[current.length - 1])) current.pop();
          current.push(result.path);
        }
        input.value = current.join(JOIN);
      } else {
        input.value = result.path;
      }
      syncHidden();
      closeList();
      status.textContent = "已选择：" + result.path;
      if (jump) {
        // A list filter: show the chosen region's rows (the form's own region field carries the code).
        const form = input.form;
        const field = form && form.elements.namedItem("region");
        if (field instanceof HTMLSelectElement) {
          field.append(el("option", { value: result.code }, result.name));
          field.value = result.code;
        } else if (field instanceof HTMLInputElement) {
          field.value = result.code;
        }
        if (form) form.submit();
        return;
      }
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function closeList() {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
    }

    async function fetchRegions(params) {
      const url = new URL(box.dataset.url, window.location.href);
      for (const [key, value] of Object.entries({ ...base, ...params })) if (value) url.searchParams.set(key, value);
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      return (await response.json()).results || [];
    }

    let timer = 0;
    let seq = 0;
    async function search() {
      const current = multiple ? input.value.split(SEP).pop().trim() : input.value.trim();
      if (!current || chosen.has(current)) {
        closeList();
        return;
      }
      const mine = ++seq;
      let results;
      try {
        results = await fetchRegions({ q: current });
      } catch (_) {
        status.textContent = "地区查询失败，请稍后重试，或直接输入完整地名。";
        return;
      }
      if (mine !== seq) return; // a newer search is running
      list.replaceChildren();
      const selectable = results.filter((r) => r.selectable);
      if (selectable.length === 0) {
        status.textContent = "没有找到“" + current + "”，请换个写法（如：济阳区）。";
        closeList();
        return;
      }
      status.textContent = "找到 " + selectable.length + " 个地区，请选择：";
      selectable.forEach((r, i) => {
        const item = el("li", { role: "option", id: name + "-opt-" + i, "data-code": r.code });
        item.append(el("button", { type: "button", class: "region-picker-option" }, r.path));
        item.firstChild.addEventListener("click", () => choose(r));
        list.append(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    input.addEventListener("input", () => {
      syncHidden();
      status.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      const buttons = Array.from(list.querySelectorAll("button"));
      if (event.key === "Escape") {
        closeList();
      } else if (event.key === "ArrowDown" && buttons.length) {
        event.preventDefault();
        buttons[0].focus();
      } else if (event.key === "Enter" && !list.hidden && buttons.length) {
        event.preventDefault(); // choose the first match instead of submitting the form
        buttons[0].click();
      }
    });
    list.addEventListener("keydown", (event) => {
      const buttons = Array.from(list.querySelectorAll("button"));
      const i = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && i < buttons.length - 1) {
        event.preventDefault();
        buttons[i + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (i > 0 ? buttons[i - 1] : input).focus();
      } else if (event.key === "Escape") {
        closeList();
        input.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (!box.contains(event.target)) closeList();
    });

    // Cascading lists: 省 > 市 > 县 > 乡镇 > 村, down to the field's deepest level.
    const confirm = el("button", { type: "button", class: "small" }, "选定");
    const selects = el("div", { class: "region-cascade-levels" });
    cascade.append(selects, confirm);
    const resultsBySelect = new WeakMap();

    async function addLevel(parent) {
      let results;
      try {
        results = await fetchRegions(parent ? { parent } : {});
      } catch (_) {
        status.textContent = "地区查询失败，请稍后重试。";
        return;
      }
      if (results.length === 0) return;
      const select = el("select", { "aria-label": "选择下一级地区" });
      select.append(el("option", { value: "" }, "请选择…"));
      for (const r of results) select.append(el("option", { value: r.code }, r.name));
      resultsBySelect.set(select, results);
      select.addEventListener("change", async () => {
        while (select.nextSibling) select.nextSibling.remove();
        const r = results.find((x) => x.code === select.value);
        if (r && !r.leaf) await addLevel(r.code);
      });
      selects.append(select);
    }

    function deepestChoice() {
      let best = null;
      for (const select of selects.querySelectorAll("select")) {
        const r = (resultsBySelect.get(select) || []).find((x) => x.code === select.value);
        if (r && r.selectable) best = r;
      }
      return best;
    }

    toggle.addEventListener("click", async () => {
      cascade.hidden = !cascade.hidden;
      toggle.setAttribute("aria-expanded", String(!cascade.hidden));
      if (!cascade.hidden && !selects.firstChild) {
        if (base.within) {
          // Inside a scope the lists start at the scope's region.
          const roots = await fetchRegions({});
          const root = roots.find((r) => r.code.startsWith(base.within));
          if (root && root.leaf) {
            selects.append(el("span", {}, root.path));
            resultsBySelect.set(selects.firstChild, [root]);
          } else if (root) {
            await addLevel(root.code);
          }
        } else {
          await addLevel("");
        }
      }
    });
    confirm.addEventListener("click", () => {
      const r = deepestChoice();
      if (!r) {
        status.textContent = "请至少选到" + ({ 1: "省", 2: "市（州）", 3: "县（市、区）", 4: "乡镇", 5: "村" }[base.min_level] || "") + "一级。";
        return;
      }
      choose(r);
      cascade.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    });
  }

  // <input list=… data-multi-datalist> (several 工种 in one box, core/occupations.py): after each 、 the
  // browser's own suggestions offer the list again, prefixed with what is already chosen.
  function setupMultiList(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    const names = Array.from(list.options).map((o) => [o.value, o.label]);
    input.addEventListener("input", () => {
      const text = input.value;
      const cut = Math.max(...["、", "，", ",", "；", ";"].map((sep) => text.lastIndexOf(sep)));
      const head = cut >= 0 ? text.slice(0, cut + 1) : "";
      if (list.dataset.head === head) return;
      list.dataset.head = head;
      const chosen = new Set(head.split(SEP).map((p) => p.trim()).filter(Boolean));
      list.replaceChildren(
        ...names.filter(([n]) => !chosen.has(n)).map(([n, label]) => el("option", { value: head + n, label }))
      );
    });
  }

  function init(root) {
    root.querySelectorAll("[data-region-picker]").forEach(setup);
    root.querySelectorAll("input[data-multi-datalist]").forEach(setupMultiList);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => init(document));
  else init(document);
  document.addEventListener("htmx:afterSwap", (event) => init(event.target));
})();
