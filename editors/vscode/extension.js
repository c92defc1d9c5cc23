// Starts `leadspec lsp` for the TOML documents that are leadspec definitions: those
// holding a `[definition]` table. Other TOML files (Cargo.toml, settings) are left to
// other extensions; the server would ignore them anyway, so it is only started once a
// definition is open.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** Whether the text holds a `[definition]` table header, as the server checks. */
function isDefinition(document) {
  return document.languageId === 'toml' && /^[ \t]*\[[ \t]*definition[ \t]*\]/m.test(document.getText());
}

function startOnce(context) {
  if (client) {
    return;
  }
  const command = vscode.workspace.getConfiguration('leadspec').get('path') || 'leadspec';
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    // The server answers for every TOML file and publishes nothing for those that are not
    // definitions, so it can run beside a TOML extension (Even Better TOML).
    documentSelector: [
      { scheme: 'file', language: 'toml' },
      { scheme: 'untitled', language: 'toml' },
    ],
  };
  client = new LanguageClient('leadspec', 'leadspec', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function activate(context) {
  const check = (document) => {
    if (isDefinition(document)) {
      startOnce(context);
    }
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument((event) => check(event.document)));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
