//! `textDocument/semanticTokens/full`: extension names, defined parts, services and checks,
//! the names that refer to them, and which are an extension's generated ones, so a theme can
//! tell an override from a plain part.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};

use crate::core::ide::semantic::{self, TokenType};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// The token types, in the order of their indexes in the tokens sent.
const TYPES: [SemanticTokenType; 3] = [
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::CLASS,
    SemanticTokenType::VARIABLE,
];

/// The modifiers, each a bit of a token's modifier set in this order.
const MODIFIERS: [SemanticTokenModifier; 2] = [
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

/// The legend advertised in `initialize`.
#[must_use]
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

/// `textDocument/semanticTokens/full`.
///
/// # Errors
/// None: a document that is not open or not analysed has no tokens.
pub async fn handle(
    backend: &Backend,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(
        &backend.session,
        &params.text_document.uri,
        "semanticTokens",
    )
    .await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let data = guarded("computing semantic tokens", || {
        let mut data = Vec::new();
        let (mut line, mut col) = (0, 0);
        for t in semantic::tokens(&analysis.doc) {
            let start = map.position(t.range.start());
            let end = map.position(t.range.end());
            if end.line != start.line {
                continue;
            }
            let token_type = match t.kind {
                TokenType::Extension => 0,
                TokenType::Definition => 1,
                TokenType::Reference => 2,
            };
            let modifiers =
                u32::from(t.kind == TokenType::Definition) | (u32::from(t.generated) << 1);
            let delta_line = start.line - line;
            let delta_start = if delta_line == 0 {
                start.character - col
            } else {
                start.character
            };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: end.character - start.character,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            (line, col) = (start.line, start.character);
        }
        data
    });
    Ok(data.map(|data| {
        SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })
    }))
}
