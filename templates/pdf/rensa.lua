-- Pandoc filter for the PDF and HTML made from a built .docx (read with +styles).
-- The table of contents is the Word file's own (pipeline/contents.py): the PDF
-- and HTML draw their contents themselves, where the Word file has its own. The
-- title and subtitle become the web page's title block (pandoc reads them as the
-- title), and in the PDF the title page's title and subtitle in the Word file's
-- type (templates/pdf/dokument.typ), so the title page and the example-data
-- notice stand on the first page as in Word, and look as there. pipeline/proof.py knows the same
-- lists. Every other style wrapper is unwrapped, keeping its content.
local dropped = {["Title"] = true, ["Subtitle"] = true, ["Innehållsförteckning"] = true,
                 ["toc 1"] = true, ["toc 2"] = true}
local contents_drawn = false

local function typst_title_page(style, div)
  if style == "Title" or style == "Subtitle" or style == "Exempelmarkering" then
    local opened = pandoc.RawBlock("typst", '#stil("' .. style .. '")[')
    return {opened, table.unpack(div.content), pandoc.RawBlock("typst", "]")}
  end
  if style == "Innehållsförteckning" then
    if contents_drawn then return {} end
    contents_drawn = true
    return pandoc.RawBlock("typst", "#innehall()")
  end
  return nil
end

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
  if FORMAT:match("typst") then
    local drawn = typst_title_page(style, div)
    if drawn then return drawn end
  end
  if dropped[style] then return {} end
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
-- It is read from the caption's words before Str escapes them (a pass of its own, below).
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

-- A web page's header cells say what they head (WCAG 1.3.1): the cells of a
-- table's header rows head their columns.
function Table(tbl)
  if not FORMAT:match("html") then return nil end
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attributes.scope = "col"
    end
  end
  return tbl
end

-- A table row that pipeline/whole_rows.py has shown to fit half a page starts with a paragraph in
-- this style: the paragraph goes, and in the PDF the row is kept on one page as it is, without
-- templates/pdf/dokument.typ measuring its cells.
local WHOLE_ROW = "BeredningHelRad"

local function marked_whole(row)
  local first = row.cells[1]
  local block = first and first.contents[1]
  if block and block.t == "Div" and block.attributes["custom-style"] == WHOLE_ROW then
    first.contents:remove(1)
    -- The web page as from the Word file without the mark: pandoc reads a cell of one paragraph as
    -- Plain, which the web page writes without <p>. (The PDF's Typst has always had the marks.)
    local only = first.contents[1]
    if not FORMAT:match("typst") and #first.contents == 1 and only.t == "Para" then
      first.contents[1] = pandoc.Plain(only.content)
    end
    return true
  end
  return false
end

local function whole_rows(tbl)
  -- A header row is never broken across pages (Typst repeats it whole on each page), so its cells
  -- are not measured either: measuring them was a fifth of Typst's time and 250 MiB on a handover
  -- of 2,000 meetings, whose 201 tables repeat their headers on 483 pages.
  if FORMAT:match("typst") then
    for _, row in ipairs(tbl.head.rows) do
      for _, cell in ipairs(row.cells) do cell.attributes["typst:breakable"] = "false" end
    end
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      if marked_whole(row) and FORMAT:match("typst") then
        for _, cell in ipairs(row.cells) do cell.attributes["typst:breakable"] = "false" end
      end
    end
  end
  return tbl
end

-- Pictures first, while their captions are still plain words, and the rows kept whole, while
-- their marks are still there; then the rest.
return {
  {Image = Image, Table = whole_rows},
  {Div = Div, Span = Span, Str = Str, Table = Table},
}
