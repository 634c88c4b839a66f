-- netkit's `json` (ours, from nmap's documented NSE API and RFC 8259):
-- json.parse(text) -> true, value | false, error; json.generate(value) ->
-- text. Objects become Lua tables, arrays tables with json.make_array's
-- marker, null json.NULL.
local json = {}

json.NULL = setmetatable({}, {__tostring = function() return "null" end})
local ARRAY = {__jsontype = "array"}
local OBJECT = {__jsontype = "object"}

function json.make_array(t) return setmetatable(t or {}, ARRAY) end
function json.make_object(t) return setmetatable(t or {}, OBJECT) end
function json.typeof(v)
  local mt = type(v) == "table" and getmetatable(v)
  return mt and mt.__jsontype or type(v)
end

local ESC = {['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
             r = "\r", t = "\t"}

local function utf8of(cp) return utf8.char(cp) end

local function parser(s)
  local pos = 1
  local function fail(what) error(("%s at position %d"):format(what, pos), 0) end
  local function ws() pos = s:match("^[ \t\r\n]*()", pos) end
  local value
  local function str()
    pos = pos + 1
    local out = {}
    while true do
      local chunk, np = s:match('^([^"\\%c]*)()', pos)
      out[#out + 1] = chunk
      pos = np
      local c = s:sub(pos, pos)
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c ~= "\\" then fail("unterminated string") end
      local e = s:sub(pos + 1, pos + 1)
      if e == "u" then
        local cp = tonumber(s:sub(pos + 2, pos + 5), 16) or fail("bad \\u escape")
        pos = pos + 6
        if cp >= 0xD800 and cp < 0xDC00 and s:sub(pos, pos + 1) == "\\u" then
          local lo = tonumber(s:sub(pos + 2, pos + 5), 16)
          if lo and lo >= 0xDC00 and lo < 0xE000 then
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
            pos = pos + 6
          end
        end
        out[#out + 1] = utf8of(cp)
      else
        out[#out + 1] = ESC[e] or fail("bad escape")
        pos = pos + 2
      end
    end
  end
  local function num()
    local n, np = s:match("^(-?%d+%.?%d*[eE]?[-+]?%d*)()", pos)
    if not n then fail("bad number") end
    pos = np
    return math.tointeger(tonumber(n)) or tonumber(n) or fail("bad number")
  end
  value = function()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = json.make_object()
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("expected a name") end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        t[k] = value()
        ws()
        c = s:sub(pos, pos); pos = pos + 1
        if c == "}" then return t end
        if c ~= "," then fail("expected ',' or '}'") end
      end
    elseif c == "[" then
      local t = json.make_array()
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value()
        ws()
        c = s:sub(pos, pos); pos = pos + 1
        if c == "]" then return t end
        if c ~= "," then fail("expected ',' or ']'") end
      end
    elseif c == '"' then return str()
    elseif s:sub(pos, pos + 3) == "true" then pos = pos + 4; return true
    elseif s:sub(pos, pos + 4) == "false" then pos = pos + 5; return false
    elseif s:sub(pos, pos + 3) == "null" then pos = pos + 4; return json.NULL
    end
    return num()
  end
  return function()
    local v = value()
    ws()
    if pos <= #s then fail("trailing data") end
    return v
  end
end

function json.parse(text)
  local ok, v = pcall(parser(text))
  if ok then return true, v end
  return false, v
end

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local e = ({['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
               ["\t"] = "\\t", ["\b"] = "\\b", ["\f"] = "\\f"})[c]
    return e or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

function json.generate(v)
  local t = type(v)
  if v == json.NULL or v == nil then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    return ("%.14g"):format(v)
  end
  if t == "string" then return quote(v) end
  if t ~= "table" then error("cannot encode a " .. t) end
  local kind = json.typeof(v)
  if kind == "array" or (kind ~= "object" and (#v > 0 or next(v) == nil)) then
    local out = {}
    for i = 1, #v do out[i] = json.generate(v[i]) end
    return "[" .. table.concat(out, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = quote(k) .. ":" .. json.generate(v[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end

return json
