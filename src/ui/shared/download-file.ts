/** Saves `content` as a file the browser downloads (a backup, an export), named `name`. */
export function downloadFile(name: string, content: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  link.click();
  // The download starts from the link; the object URL is freed once it surely has.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Today as YYYY-MM-DD, for file names. */
export const today = (): string => new Date().toISOString().slice(0, 10);
