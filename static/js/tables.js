// A table wider than its .table-wrap scrolls sideways inside it (portal.css). Such a wrapper becomes a named,
// focusable region, so that a keyboard can scroll it too (axe's scrollable-region-focusable), and its classes
// say on which side more columns lie (portal.css fades that edge). A wrapper that fits stays a plain box: no
// extra tab stop, no extra landmark. It is looked at again whenever its size changes and after htmx swaps.
// Without this script a wide table still scrolls, by touch, mouse or the browser's own keyboard scrolling.
document.addEventListener("DOMContentLoaded", () => {
  const MARK = "data-scroll-region"; // set with the attributes below: they are ours to remove again
  const OURS = ["tabindex", "role", "aria-label", "aria-labelledby", MARK];

  // The region's name is the table's: its aria-labelledby, aria-label or caption.
  const nameOf = (table) => {
    for (const attribute of ["aria-labelledby", "aria-label"]) {
      if (table.getAttribute(attribute)) {
        return [attribute, table.getAttribute(attribute)];
      }
    }
    const caption = table.querySelector("caption");
    return caption && caption.textContent.trim() ? ["aria-label", caption.textContent.trim()] : null;
  };

  const showEdges = (wrap) => {
    wrap.classList.toggle("has-more-left", wrap.scrollLeft > 1);
    wrap.classList.toggle("has-more-right", wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1);
  };

  const update = (wrap) => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrollable", scrolls);
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      const table = wrap.querySelector("table");
      const name = table && nameOf(table);
      wrap.setAttribute(MARK, "");
      wrap.setAttribute("tabindex", "0");
      if (name && !wrap.hasAttribute("role")) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute(...name);
      }
    } else if (!scrolls && wrap.hasAttribute(MARK)) {
      for (const attribute of OURS) {
        wrap.removeAttribute(attribute);
      }
    }
    showEdges(wrap);
  };

  const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  const watched = new WeakSet();
  const setUp = (root) => {
    const wraps = root.matches?.(".table-wrap") ? [root] : root.querySelectorAll(".table-wrap");
    for (const wrap of wraps) {
      update(wrap);
      if (!watched.has(wrap)) {
        watched.add(wrap);
        wrap.addEventListener("scroll", () => showEdges(wrap), { passive: true });
        observer.observe(wrap);
      }
    }
  };

  setUp(document);
  // htmx puts new content in (a search's results): look at its tables too.
  document.body.addEventListener("htmx:load", (event) => setUp(event.target));
});
