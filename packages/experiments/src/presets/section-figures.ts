/**
 * Which of a preset's `figures` each sweep's section of its report draws. A report of several
 * sweeps draws each in its own section and names a figure there `<sweep key>-<figure id>` (the
 * form criteria name it by, `sectionFigure`); a preset names a figure in that same form to draw it
 * in that section only (c12's initialization figures in `init`, not again in `training`), and by
 * its bare id to draw it in every section that has the data.
 */
export function figuresOfSection(figures: readonly string[], key: string, keys: readonly string[]): string[] {
  // The longest key first, so `cnn-depth-…` is not read as a figure of a sweep named `cnn`.
  const byLength = [...keys].sort((a, b) => b.length - a.length);
  return figures.flatMap((id) => {
    const owner = byLength.find((k) => id.startsWith(`${k}-`));
    if (owner === undefined) return [id];
    return owner === key ? [id.slice(key.length + 1)] : [];
  });
}
