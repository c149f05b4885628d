/* Shows the readability of each body field while an editor types.
   The score comes from the same function that scores saved text. */
(function () {
  "use strict";
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function levelOf(form) {
    var select = form.querySelector("select[name=level]");
    return select ? select.value : "standard";
  }
  function describe(result) {
    if (result.error) { return result.error; }
    var target = result.target || {};
    var goal = target.max !== undefined ? "≤ " + target.max : target.min !== undefined ? "≥ " + target.min : "sentence rules";
    var s = result.sentences || {};
    return (result.meets_target ? "✓ meets target" : "✗ misses target") + " — " + result.formula_name + " " +
      result.score + " (target " + goal + "); average sentence " + s.average_length + " " + s.unit +
      " (≤ " + s.limit_average + "), longest " + s.longest + " (≤ " + s.limit_longest + ")";
  }
  function attach(textarea, url) {
    var language = textarea.name.replace(/^body_/, "").replace("_", "-");
    var output = document.createElement("p");
    output.className = "live-readability";
    output.setAttribute("role", "status");
    output.setAttribute("aria-live", "polite");
    textarea.parentNode.appendChild(output);
    var timer = null;
    function measure() {
      if (!textarea.value.trim()) { output.textContent = ""; return; }
      var body = new URLSearchParams({language: language, level: levelOf(textarea.form), body: textarea.value});
      fetch(url, {method: "POST", body: body, headers: {"X-CSRFToken": csrfToken()}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (result) {
          output.textContent = describe(result);
          output.classList.toggle("misses", !result.meets_target);
        })
        .catch(function () { output.textContent = ""; });
    }
    textarea.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(measure, 600); });
    measure();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var url = window.location.pathname.replace(/\/(\d+\/change|add)\/$/, "/measure/");
    document.querySelectorAll("textarea[name^=body_]").forEach(function (textarea) { attach(textarea, url); });
  });
})();
