'use strict';
/**
 * How a simulated callee behaves, chosen by the destination number unless a test scripts it.
 * Times are simulated seconds. The last digit of the number decides by default:
 *   0 never answers, 9 is busy, 8 answers and presses nothing, 7 hangs up during playback,
 *   any other digit d answers and presses d.
 */

const BEHAVIOURS = {
	noAnswer: { answers: false, busy: false },
	busy: { answers: false, busy: true },
	answerNoKey: { answers: true, key: '' },
	hangupDuringPlayback: { answers: true, key: '', hangsUpDuringPlayback: true },
	pressKey: (key) => ({ answers: true, key }),
	// Only scripted. The call happens and the platform keeps its record, but its CDR callback is lost.
	cdrCallbackLost: { answers: true, key: '', sendsNoCdr: true },
	// Only scripted. The call happens but the platform neither sends a CDR nor keeps a record of it.
	noRecord: { answers: true, key: '', sendsNoCdr: true, keepsNoRecord: true },
};

const DEFAULT_TIMING = {
	ringSeconds: 3, // until the callee answers
	noAnswerTimeoutSeconds: 30,
	busySeconds: 2,
	playbackSeconds: 5,
	keyAfterPlaybackSeconds: 1,
	silenceBeforeHangupSeconds: 5,
	agentRingSeconds: 2,
	talkSeconds: 10,
};

function behaviourForNumber(destnumber) {
	const last = String(destnumber).slice(-1);
	if (last === '0') return BEHAVIOURS.noAnswer;
	if (last === '9') return BEHAVIOURS.busy;
	if (last === '8') return BEHAVIOURS.answerNoKey;
	if (last === '7') return BEHAVIOURS.hangupDuringPlayback;
	return BEHAVIOURS.pressKey(last);
}

module.exports = { BEHAVIOURS, DEFAULT_TIMING, behaviourForNumber };
