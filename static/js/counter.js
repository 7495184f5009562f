// A counter beside each text field with a limit: "还可输入 1,234 字" / "1,234 characters left".
//
// The field carries `maxlength` (the browser stops typing there) and `data-counter`: the sentences in the
// page's language for each plural category, as JSON. A textarea's value counts a line break as one and a
// character beyond the BMP as two (UTF-16 code units), exactly as `maxlength` does; the server counts the
// same way (projects.forms.applications.typed_length). A file of its own: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const language = document.documentElement.lang || undefined;
  const plural = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);

  for (const field of document.querySelectorAll("[maxlength][data-counter]")) {
    const limit = Number(field.getAttribute("maxlength"));
    const sentences = JSON.parse(field.dataset.counter);
    const counter = document.createElement("p");
    counter.className = "char-counter";
    counter.id = `${field.id}_counter`;
    // Read out with the field; while typing, announced only once the typing pauses, not at every key.
    const announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    field.after(counter, announcer);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);

    const show = () => {
      const left = limit - field.value.length;
      const count = Math.abs(left);
      const forms = sentences[left < 0 ? "over" : "left"];
      const text = (forms[plural.select(count)] || forms.other).replace("%(count)s", numbers.format(count));
      counter.textContent = text;
      counter.classList.toggle("char-counter-over", left < 0);
      return text;
    };
    let pause;
    field.addEventListener("input", () => {
      const text = show();
      clearTimeout(pause);
      pause = setTimeout(() => {
        announcer.textContent = text;
      }, 1000);
    });
    show();
  }
});
