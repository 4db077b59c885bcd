/**
 * One line of Call → Check Set-up: what was checked, whether it passed (null: not checked, or a
 * check to do by hand), what was found, and what to do when it failed, in words a user can act on.
 */
export interface CheckLine {
	check: string;
	passed: boolean | null;
	detail: string;
	whatToDo: string | null;
}

export const passedLine = (check: string, detail: string): CheckLine => ({ check, passed: true, detail, whatToDo: null });

export const failedLine = (check: string, detail: string, whatToDo: string): CheckLine => ({ check, passed: false, detail, whatToDo });

export const uncheckedLine = (check: string, detail: string, whatToDo: string | null = null): CheckLine => ({
	check,
	passed: null,
	detail,
	whatToDo,
});
