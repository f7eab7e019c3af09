-- Pandoc filter for the PDF and HTML made from a built .docx (read with +styles).
-- The table-of-contents placeholder is the Word file's own: the PDF and HTML
-- draw their contents themselves, so it is dropped. The title and subtitle
-- become the web page's title block (pandoc reads them as the title); the
-- PDF draws its whole title page from the sources (templates/pdf/dokument.typ),
-- so there the title page's other lines are dropped too; the web page keeps
-- them. pipeline/proof.py knows the same lists. Every other style wrapper is
-- unwrapped, keeping its content.
local dropped = {["Title"] = true, ["Subtitle"] = true, ["Innehållsförteckning"] = true}

-- A section of the Word file that turns the page (the handover's landscape
-- appendix), marked by pipeline/layout.py since pandoc drops sections: the
-- PDF turns its pages there too.
local turned = {["BeredningSektionLiggande"] = "true", ["BeredningSektionStaende"] = "false"}

function Div(div)
  local style = div.attributes["custom-style"]
  if style == nil then return nil end
  if turned[style] then
    return FORMAT:match("typst") and pandoc.RawBlock("typst", "#set page(flipped: " .. turned[style] .. ")") or {}
  end
  if dropped[style] or (style == "Titelsida" and FORMAT:match("typst")) then return {} end
  if style == "Exempelmarkering" then
    return pandoc.Div(div.content, pandoc.Attr("", {"exempeldata"}))
  end
  return div.content
end

function Span(span)
  if span.attributes["custom-style"] ~= nil then return span.content end
  return nil
end

-- Source text is text in Typst too. pandoc's Typst writer escapes only some
-- markup (`=` only at the start of a paragraph), so `+ x`, `/ term:`, `- x`
-- or `= KD` in a cell, a list or a heading would become Typst markup. Every
-- ASCII punctuation character is written escaped, which Typst prints as it is.
--
-- Word and LibreOffice break a word too long for its line or cell; Typst
-- only hyphenates, and a long string with no hyphenation points (an address,
-- a made-up name) would run past the cell and off the page. So a word longer
-- than LONG_WORD characters gets a zero-width space every BREAK_EVERY.
local LONG_WORD, BREAK_EVERY = 30, 15

-- (Without ligatures there: an "ff" drawn as one glyph over such a break
-- would be read back from the PDF as "fff".)
local function escaped(text)
  return (text:gsub("[!-/:-@%[\\-`{-~]", "\\%0"))
end

local function breakable(text)
  local length = utf8.len(text)
  if length == nil or length <= LONG_WORD then return escaped(text) end
  local out, n = {}, 0
  for _, code in utf8.codes(text) do
    n = n + 1
    out[#out + 1] = escaped(utf8.char(code))
    if n % BREAK_EVERY == 0 and n < length then out[#out + 1] = "\u{200B}" end
  end
  return "#text(ligatures: false)[" .. table.concat(out) .. "]"
end

function Str(str)
  if not FORMAT:match("typst") then return nil end
  return pandoc.RawInline("typst", breakable(str.text))
end

-- pandoc's Typst writer leaves out a picture's alternative text, which PDF/UA requires.
local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(image)
  if not FORMAT:match("typst") then return nil end
  local alt = pandoc.utils.stringify(image.caption)
  if alt == "" then alt = "Bild" end
  local height = image.attributes["height"]
  local size = height and (", height: " .. height) or ""
  return pandoc.RawInline("typst", "#box(image(" .. typst_string(image.src) .. size .. ", alt: " .. typst_string(alt) .. "))")
end
