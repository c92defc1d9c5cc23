//! `leadspec lsp`: a language server (LSP 3.17, JSON-RPC over standard input and output)
//! for definition files, built on `lsp-server` and `lsp-types` (feature `lsp`).
//!
//! It serves the diagnostics of `leadspec check` (published when a document is opened and
//! on every change) and, shortly after, the findings of `check --analyze` (see
//! `analysis`), hover on stage, field, team and criterion ids, go to definition, find
//! references and rename of those ids (see `references`), document symbols for the teams,
//! fields, criteria and stages, completion (see `complete`), and formatting as
//! `leadspec fmt`. Documents are synchronised in full or incrementally; positions count
//! UTF-16 code units, as LSP requires. Only documents holding a `[definition]` table are
//! checked: other TOML files get no diagnostics.

mod analysis;
mod complete;
mod document;
mod hover;
mod ids;
mod position;
mod references;
mod symbols;

use std::collections::HashMap;
use std::error::Error;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, PrepareRenameRequest, References,
    Rename, Request as _,
};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentFormattingParams, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, HoverParams, HoverProviderCapability, InitializeResult, Location,
    OneOf, PositionEncodingKind, PrepareRenameResponse, PublishDiagnosticsParams, ReferenceParams, RenameOptions,
    RenameParams, ServerCapabilities, ServerInfo, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, Uri, WorkspaceEdit,
};

use document::Document;

/// Why the server stopped with a failure: a broken connection, or an `exit` before
/// `shutdown`.
pub type LspError = Box<dyn Error + Send + Sync>;

/// Runs the language server over standard input and output until the client sends
/// `shutdown` and then `exit`. Returns an error when the connection breaks or the client
/// exits without `shutdown` (LSP then asks for exit status 1).
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    // After `exit` the reader has stopped, and the writer stops once the connection is
    // gone. (After a failure the reader may still wait for input: the caller exits instead.)
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// What the server can do, as it answers `initialize`.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), "\"".to_string()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Answers `initialize`, then serves requests and notifications until `shutdown`.
fn serve(connection: &Connection) -> Result<(), LspError> {
    let (id, _params) = connection.initialize_start()?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "leadspec".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let sender = connection.sender.clone();
    let analyzer = analysis::Analyzer::start(move |message| sender.send(message).is_ok());
    let mut server = Server { connection, documents: HashMap::new(), analyzer, generation: 0 };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                server.request(request)?;
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return Err("exit without shutdown".into());
            }
            // A notification that does not read is dropped: there is no one to answer.
            Message::Notification(notification) => server.notification(notification).or_else(ignore_bad_params)?,
            Message::Response(_) => {}
        }
    }
    Err("the client closed the connection without shutdown".into())
}

/// The open documents and the connection to answer on.
struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<Uri, Document>,
    /// The thread that analyses the definitions, off the keystroke path.
    analyzer: analysis::Analyzer,
    /// How many versions of documents have been published, to tell the newest.
    generation: u64,
}

impl Server<'_> {
    /// Answers one request.
    fn request(&mut self, request: Request) -> Result<(), LspError> {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    let hover = self.documents.get(&at.text_document.uri).and_then(|d| hover::hover(d, at.position));
                    Response::new_ok(id, hover)
                }
                Err(error) => invalid_params(id, &error),
            },
            Formatting::METHOD => match serde_json::from_value::<DocumentFormattingParams>(request.params) {
                Ok(params) => {
                    let edits = self.documents.get(&params.text_document.uri).map(Document::formatting);
                    Response::new_ok(id, edits.unwrap_or_default())
                }
                Err(error) => invalid_params(id, &error),
            },
            DocumentSymbolRequest::METHOD => match serde_json::from_value::<DocumentSymbolParams>(request.params) {
                Ok(params) => {
                    let symbols = self.documents.get(&params.text_document.uri).map(|d| symbols::symbols(&d.text));
                    Response::new_ok(id, DocumentSymbolResponse::Nested(symbols.unwrap_or_default()))
                }
                Err(error) => invalid_params(id, &error),
            },
            GotoDefinition::METHOD => match serde_json::from_value::<GotoDefinitionParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    let uri = at.text_document.uri;
                    let ranges = self.documents.get(&uri).map(|d| references::definition(&d.text, at.position));
                    let locations =
                        ranges.unwrap_or_default().into_iter().map(|range| Location::new(uri.clone(), range)).collect();
                    Response::new_ok(id, GotoDefinitionResponse::Array(locations))
                }
                Err(error) => invalid_params(id, &error),
            },
            Completion::METHOD => match serde_json::from_value::<CompletionParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position;
                    let items =
                        self.documents.get(&at.text_document.uri).map(|d| complete::complete(&d.text, at.position));
                    Response::new_ok(id, CompletionResponse::Array(items.unwrap_or_default()))
                }
                Err(error) => invalid_params(id, &error),
            },
            References::METHOD => match serde_json::from_value::<ReferenceParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position;
                    let uri = at.text_document.uri;
                    let include = params.context.include_declaration;
                    let ranges =
                        self.documents.get(&uri).map(|d| references::references(&d.text, at.position, include));
                    let locations: Vec<Location> =
                        ranges.unwrap_or_default().into_iter().map(|range| Location::new(uri.clone(), range)).collect();
                    Response::new_ok(id, locations)
                }
                Err(error) => invalid_params(id, &error),
            },
            PrepareRenameRequest::METHOD => {
                match serde_json::from_value::<TextDocumentPositionParams>(request.params) {
                    Ok(at) => match self.documents.get(&at.text_document.uri) {
                        None => Response::new_ok(id, Option::<PrepareRenameResponse>::None),
                        Some(document) => match references::prepare(&document.text, at.position) {
                            Ok((range, placeholder)) => {
                                Response::new_ok(id, PrepareRenameResponse::RangeWithPlaceholder { range, placeholder })
                            }
                            Err(message) => Response::new_err(id, ErrorCode::RequestFailed as i32, message),
                        },
                    },
                    Err(error) => invalid_params(id, &error),
                }
            }
            Rename::METHOD => match serde_json::from_value::<RenameParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position;
                    let uri = at.text_document.uri;
                    match self.documents.get(&uri) {
                        None => Response::new_ok(id, Option::<WorkspaceEdit>::None),
                        Some(document) => match references::rename(&document.text, at.position, &params.new_name) {
                            Ok(edits) => Response::new_ok(id, WorkspaceEdit::new(HashMap::from([(uri, edits)]))),
                            Err(message) => Response::new_err(id, ErrorCode::RequestFailed as i32, message),
                        },
                    }
                }
                Err(error) => invalid_params(id, &error),
            },
            _ => Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("leadspec lsp does not serve `{}`", request.method),
            ),
        };
        self.connection.sender.send(response.into())?;
        Ok(())
    }

    /// Handles one notification: the document synchronisation.
    fn notification(&mut self, notification: Notification) -> Result<(), LspError> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: DidOpenTextDocumentParams = serde_json::from_value(notification.params)?;
                let document = Document::new(params.text_document.text);
                self.publish(&params.text_document.uri, &document, Some(params.text_document.version))?;
                self.documents.insert(params.text_document.uri, document);
            }
            DidChangeTextDocument::METHOD => {
                let params: DidChangeTextDocumentParams = serde_json::from_value(notification.params)?;
                let uri = params.text_document.uri;
                let Some(mut document) = self.documents.remove(&uri) else { return Ok(()) };
                for change in params.content_changes {
                    position::apply_change(&mut document.text, change);
                }
                document.reload();
                self.publish(&uri, &document, Some(params.text_document.version))?;
                self.documents.insert(uri, document);
            }
            DidCloseTextDocument::METHOD => {
                let params: DidCloseTextDocumentParams = serde_json::from_value(notification.params)?;
                self.analyzer.closed(&params.text_document.uri);
                if self.documents.remove(&params.text_document.uri).is_some() {
                    // Clear what the editor shows for a file no longer open.
                    let params = PublishDiagnosticsParams::new(params.text_document.uri, Vec::new(), None);
                    self.send_notification::<PublishDiagnostics>(params)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Publishes the diagnostics of `document`, and queues its analysis.
    fn publish(&mut self, uri: &Uri, document: &Document, version: Option<i32>) -> Result<(), LspError> {
        self.generation += 1;
        self.analyzer.changed(uri, self.generation);
        let params = PublishDiagnosticsParams::new(uri.clone(), document.lsp_diagnostics(), version);
        self.send_notification::<PublishDiagnostics>(params)?;
        // Analysed only while small enough (see `analysis`); not even copied otherwise.
        let analysed = document.definition.as_ref().filter(|d| d.stages().len() <= analysis::MAX_STAGES);
        if let Some(definition) = analysed {
            self.analyzer.analyse(analysis::Job {
                uri: uri.clone(),
                generation: self.generation,
                version,
                text: document.text.clone(),
                definition: definition.clone(),
                diagnostics: document.diagnostics.clone(),
            });
        }
        Ok(())
    }

    fn send_notification<N: lsp_types::notification::Notification>(&self, params: N::Params) -> Result<(), LspError> {
        let notification = Notification::new(N::METHOD.to_string(), params);
        self.connection.sender.send(notification.into())?;
        Ok(())
    }
}

/// Passes on the errors of the connection; drops those of parameters that do not read.
fn ignore_bad_params(error: LspError) -> Result<(), LspError> {
    if error.is::<serde_json::Error>() {
        Ok(())
    } else {
        Err(error)
    }
}

/// The answer to a request whose parameters do not read.
fn invalid_params(id: lsp_server::RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, format!("invalid parameters: {error}"))
}
