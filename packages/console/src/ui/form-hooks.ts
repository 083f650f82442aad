import { type RefObject, useEffect } from 'react';
import { setUnsaved } from '../leave-guard.js';

/** While `dirty`, leaving the screen asks first (leave-guard.ts); a form that goes away forgets it. */
export function useUnsavedChanges(dirty: boolean): void {
  useEffect(() => {
    setUnsaved(dirty);
    return () => setUnsaved(false);
  }, [dirty]);
}

/** A refusal (`problem` set) takes the keyboard to the form's first field marked at fault. */
export function useFocusOnProblem(form: RefObject<HTMLElement | null>, problem: unknown): void {
  useEffect(() => {
    if (problem) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, problem]);
}
