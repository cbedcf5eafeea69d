const q = document.getElementById('q'), st = document.getElementById('story'), vd = document.getElementById('verdict');
const items = [...document.querySelectorAll('section.item')], shown = document.getElementById('shown');
// the filter lives in the address (?story=…&verdict=…&q=…), so a filtered view can be linked and survives a reload
const given = new URLSearchParams(location.search);
if (given.has('story')) st.value = given.get('story');
if (given.has('verdict')) vd.value = given.get('verdict');
if (given.has('q')) q.value = given.get('q');
function apply() {
  const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
  let n = 0;
  for (const s of items) {
    const ok = (!st.value || s.dataset.story === st.value) && (!vd.value || s.dataset.verdict === vd.value)
      && words.every(w => s.textContent.toLowerCase().includes(w));
    s.hidden = !ok; if (ok) n++;
  }
  shown.textContent = n + ' of ' + items.length + ' shown';
  const p = new URLSearchParams();
  if (st.value) p.set('story', st.value);
  if (vd.value) p.set('verdict', vd.value);
  if (q.value) p.set('q', q.value);
  const query = p.toString();
  try { history.replaceState(null, '', (query ? '?' + query : location.pathname) + location.hash); } catch (e) { /* a browser that refuses it keeps the filter on screen */ }
}
for (const el of [q, st, vd]) el.addEventListener('input', apply);
apply();
