// The main navigation folds behind a menu button on small screens (portal.css, "Small screens").
// Progressive enhancement: the button is `hidden` in the HTML, so without this script the list simply stays
// open; the script shows the button (below the breakpoint only), names the current page on it, and opens and
// closes the list. A file of its own: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("nav-toggle");
  const list = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!list) {
    return;
  }
  const nav = button.closest(".site-nav");

  // The current page's own words, without a badge ("通知", not "通知 3 未读"): folded, the page stays named.
  const current = list.querySelector('a[aria-current="page"]');
  if (current) {
    document.getElementById("nav-toggle-current").textContent = [...current.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join("")
      .trim();
  }
  // An unread count stays in sight while the list is folded.
  const badge = list.querySelector(".badge");
  if (badge) {
    button.append(badge.cloneNode(true));
  }

  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  const setOpen = (open) => button.setAttribute("aria-expanded", open ? "true" : "false");
  button.addEventListener("click", () => setOpen(!isOpen()));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });
  nav.classList.add("has-toggle");
  button.hidden = false;
});
