const q = document.getElementById('q'), st = document.getElementById('story'), vd = document.getElementById('verdict');
const items = [...document.querySelectorAll('section.item')], shown = document.getElementById('shown');
function apply() {
  const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
  let n = 0;
  for (const s of items) {
    const ok = (!st.value || s.dataset.story === st.value) && (!vd.value || s.dataset.verdict === vd.value)
      && words.every(w => s.textContent.toLowerCase().includes(w));
    s.hidden = !ok; if (ok) n++;
  }
  shown.textContent = n + ' of ' + items.length + ' shown';
}
for (const el of [q, st, vd]) el.addEventListener('input', apply);
apply();
