-- Pandoc filter for the PDF and HTML made from a built .docx (read with +styles).
-- The title page and the table-of-contents placeholder are the Word file's own:
-- the PDF and HTML draw theirs from the sources, so those paragraphs are dropped.
-- Every other style wrapper is unwrapped, keeping its content.
local dropped = {
  ["Title"] = true, ["Subtitle"] = true, ["Titelsida"] = true, ["Innehållsförteckning"] = true,
}

function Div(div)
  local style = div.attributes["custom-style"]
  if style == nil then return nil end
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
