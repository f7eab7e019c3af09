-- A pandoc reader for all Markdown fields of one document in one pandoc run.
--
-- The input is a JSON list of texts. Each is read on its own (so a code fence,
-- a link definition or a list left open ends with its field) and preceded by an
-- empty paragraph in the style "BeredningFaltgrans", which pipeline/render.py
-- cuts at. No source text can write that style: the extensions that let Markdown
-- name a Word style (fenced and native divs, bracketed and native spans) are off,
-- so the boundary lies in the structure, not in any string a text could contain.
--
-- What Markdown cannot express as Word formatting is read as text: raw HTML
-- (`<div>`), TeX, raw OpenXML, `$...$` math and `{...}` attributes stay
-- literally as written, so no word of a field is swallowed as markup.
MARKDOWN = table.concat({"markdown", "auto_identifiers", "raw_html", "raw_tex", "raw_attribute", "native_divs",
  "native_spans", "fenced_divs", "bracketed_spans", "tex_math_dollars", "latex_macros", "markdown_in_html_blocks",
  "header_attributes", "link_attributes", "inline_code_attributes", "fenced_code_attributes",
  "mmd_header_identifiers"}, "-")
local BOUNDARY = "BeredningFaltgrans"

-- Each text as read, for the next document that has it: the handover, the guidance debate's documents
-- and the compilation share most of their texts.
local read = {}

-- Reading with MARKDOWN costs 2.5 ms a text whatever the text (pandoc works out the format's 16
-- changes anew for each read), plain "markdown" 0.07 ms. Those 16 extensions act only on a text with
-- their marks: < (HTML, native divs and spans), \ (TeX), { (attributes), $ (math), a ::: fence, and a
-- heading (# or a line of = or - under a line: its identifier). A text without any of them reads
-- the same either way (tests/test_properties.py holds it to that), so it is read the cheap way.
-- (MARKDOWN and without_marks are global in the environment server.lua loads this file into, for that test.)
function without_marks(text)
  return not (text:find("[<\\{$#]") or text:find(":::", 1, true) or text:find("\n[ \t\r]*[=%-]+[ \t\r]*\n")
              or text:find("\n[ \t\r]*[=%-]+[ \t\r]*$"))
end

local function read_field(text)
  return pandoc.read(text, without_marks(text) and "markdown" or MARKDOWN).blocks
end

function Reader(input)
  local texts = pandoc.json.decode(tostring(input), false)
  local blocks = pandoc.Blocks{}
  for _, text in ipairs(texts) do
    blocks:insert(pandoc.Div({pandoc.Para{pandoc.Str("|")}}, {["custom-style"] = BOUNDARY}))
    read[text] = read[text] or read_field(text)
    blocks:extend(read[text])
  end
  return pandoc.Pandoc(blocks)
end
