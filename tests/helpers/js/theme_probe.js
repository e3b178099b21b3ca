// What a reader sees of the widgets' colours, measured in the page (WCAG 2 contrast): every
// visible text against its effective background, the flow diagram's box fills, the chart's
// lines and the diagram's edges against their ground, and each field's border against what surrounds it.
() => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  // Any CSS colour as [r, g, b, a] (0-255, alpha 0-1), read back from a canvas.
  const rgba = (colour) => {
    if (!colour || colour === "none" || colour === "transparent") return [0, 0, 0, 0];
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;  // not premultiplied
    return [r, g, b, a / 255];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1);
  };
  const luminance = ([r, g, b]) => {
    const lin = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
  };
  const canvasColour = () => rgba(getComputedStyle(document.documentElement).colorScheme.includes("dark") ? "#121212" : "#fff");
  // The colour behind an element: its own and its ancestors' backgrounds, composed until opaque.
  // In an SVG, a group's box (the rect drawn first in it) is what its text sits on.
  const behind = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      let colour;
      if (node instanceof SVGElement) {
        const box = node.tagName === "g" ? node.querySelector(":scope > rect") : null;
        colour = box ? rgba(getComputedStyle(box).fill) : [0, 0, 0, 0];
      } else colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((below, top) => over(top, below), canvasColour());
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || style.display === "none") return false;
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 || box.height > 0;  // an axis is a line of no width
  };
  const name = (el) => {
    const widget = el.closest(".wm-widget");
    return `${widget ? widget.id : "?"} ${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
  };
  const widgets = [...document.querySelectorAll(".wm-widget")];
  const texts = [];
  for (const widget of widgets) {
    const walker = document.createTreeWalker(widget, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const host = node.parentElement;
      if (!node.textContent.trim() || !host || !shown(host)) continue;
      const style = getComputedStyle(host);
      const ground = behind(host);
      const ink = over(rgba(host instanceof SVGElement ? style.fill : style.color), ground);
      texts.push({ where: name(host), text: node.textContent.trim().slice(0, 40), ratio: contrast(ink, ground) });
    }
  }
  const boxes = [...document.querySelectorAll(".wm-diagram-svg g > rect")].filter(shown).map((rect) => {
    const fill = over(rgba(getComputedStyle(rect).fill), behind(rect.closest("svg")));
    return { where: name(rect.parentElement), luminance: Math.round(luminance(fill) * 1000) / 1000 };
  });
  const lines = [...document.querySelectorAll(".wm-chart :is(.wm-line, .wm-axis), .wm-diagram-svg .wm-d-edge")].filter(shown).map((line) => {
    const style = getComputedStyle(line);
    const ground = behind(line.closest("svg"));
    const ink = over(rgba(style.stroke), ground);
    return { where: name(line), width: parseFloat(style.strokeWidth) || 0, ratio: contrast(ink, ground) };
  });
  const fields = [...document.querySelectorAll(".wm-widget :is(input, select, textarea)")]
    .filter((f) => !["checkbox", "radio", "range", "hidden"].includes(f.type) && shown(f))
    .map((field) => {
      const style = getComputedStyle(field);
      const ground = behind(field.parentElement);
      const border = over(rgba(style.borderTopColor), ground);
      return { where: `${name(field)}[name=${field.name}]`, width: parseFloat(style.borderTopWidth) || 0, ratio: contrast(border, ground) };
    });
  return { widgets: widgets.length, texts, boxes, lines, fields };
};
