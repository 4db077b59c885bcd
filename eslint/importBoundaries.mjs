// The house rule (docs/architecture.md): a node folder imports only itself and nodes/shared/;
// nodes/shared/ imports only itself; credentials import only nodes/shared/; nothing under nodes/
// or credentials/ imports test/. Checked on every relative import, by where it resolves.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The folders a file may import from, relative to the package root; undefined: no restriction. */
function allowedFor(file) {
	const [top, second] = path.relative(root, file).split(path.sep);
	if (top === 'credentials') return ['credentials', 'nodes/shared'];
	if (top !== 'nodes') return undefined;
	if (second === 'shared') return ['nodes/shared'];
	return [`nodes/${second}`, 'nodes/shared'];
}

export const importBoundaries = {
	meta: {
		type: 'problem',
		docs: { description: 'Keeps node folders, nodes/shared and credentials apart, and test/ out of the package' },
		schema: [],
	},
	create(context) {
		const allowed = allowedFor(context.filename);
		if (!allowed) return {};
		const check = (node, source) => {
			if (typeof source !== 'string' || !source.startsWith('.')) return;
			const target = path.relative(root, path.resolve(path.dirname(context.filename), source));
			const inside = allowed.some((folder) => target === folder || target.startsWith(`${folder}/`));
			if (inside) return;
			context.report({
				node,
				message: `"${source}" reaches ${target}: ${path.relative(root, context.filename)} may import only from ${allowed.join('/, ')}/ (see docs/architecture.md).`,
			});
		};
		return {
			ImportDeclaration: (node) => check(node, node.source.value),
			ExportNamedDeclaration: (node) => check(node, node.source?.value),
			ExportAllDeclaration: (node) => check(node, node.source.value),
			ImportExpression: (node) => check(node, node.source.value),
		};
	},
};
