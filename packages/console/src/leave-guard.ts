/**
 * Unsaved changes of the screen shown, asked about before leaving it: a reload or another address
 * through the browser's own prompt, a sign-out through a confirmation.
 */
let unsaved = false;

function warn(event: BeforeUnloadEvent) {
  event.preventDefault();
}

export function setUnsaved(value: boolean): void {
  if (value === unsaved) return;
  unsaved = value;
  if (value) window.addEventListener('beforeunload', warn);
  else window.removeEventListener('beforeunload', warn);
}

/** True when there is nothing to lose, or the person chose to lose it. */
export function confirmLeave(): boolean {
  return !unsaved || window.confirm('You have unsaved changes. Leave without saving them?');
}
