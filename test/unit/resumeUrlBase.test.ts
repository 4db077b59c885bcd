/** Wait for Result's Resume URL Base check, and what of a resume URL may be logged. */
import { withoutResumeToken } from '../../nodes/SipCall/waitForResult/waitProtocol';
import { resumeUrlBaseProblem } from '../../nodes/SipCall/waitForResult/waitRows';

const THE_FIX = /Resume URL Base ".*" must be an absolute http\(s\) URL such as http:\/\/localhost:5678\/webhook-waiting/;

test('empty, or an absolute http(s) URL; anything else is named with the fix', () => {
	for (const usable of ['', 'http://n8n-internal:5678/webhook-waiting', 'https://n8n.example.com/webhook-waiting']) {
		expect(resumeUrlBaseProblem(usable)).toBeUndefined();
	}
	for (const unusable of ['n8n-internal:5678/webhook-waiting', '/webhook-waiting', 'webhook-waiting', 'ftp://n8n/webhook-waiting', 'http://n8n/webhook-waiting?signature=x']) {
		expect(resumeUrlBaseProblem(unusable)?.message).toMatch(THE_FIX);
	}
});

test('a resume URL is logged without its token', () => {
	const token = 'f'.repeat(64);
	expect(withoutResumeToken(`POST http://n8n/webhook-waiting/5/sip-call-results?signature=${token} failed`)).toBe(
		'POST http://n8n/webhook-waiting/5/sip-call-results?signature=… failed',
	);
	expect(withoutResumeToken(`http://n8n/w?a=1&SIGNATURE=${token}#x`)).toBe('http://n8n/w?a=1&SIGNATURE=…#x');
});
