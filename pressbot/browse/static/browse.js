// pressbot browse: text columns take their direction from their first letter
// (dir="auto"), so Urdu cells read right to left and English ones left to right.
document.addEventListener("DOMContentLoaded", () => {
  const columns = ["title", "body", "place", "agency", "author", "keywords"];
  const selector = columns.map((name) => `td.col-${name}`).join(", ");
  for (const cell of document.querySelectorAll(selector)) {
    cell.dir = "auto";
  }
});
