description = [[
Asks an IKE (ISAKMP, UDP 500) responder for a phase-1 SA, in main mode
and then aggressive mode, each offering several transforms (AES-128 and
3DES, SHA-1 and MD5, pre-shared key, MODP groups 2 and 14; RFC 2408/2409
and the IANA IKE attribute registry), and reads the Vendor ID payloads of
its answer: those whose meaning is public (RFC 3706 DPD, RFC 3947 NAT-T
and its drafts, XAUTH, Cisco Unity, strongSwan, libreswan's and Openswan's
prefixes) are named, the others printed in hex. netkit's script; its
vendor list is its own, so it names fewer devices than nmap's.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(500, "isakmp", "udp")

-- vendor IDs by their published values (RFCs and the projects' sources
-- of public record); {hex prefix, text, kind}: kind "vendor" names the
-- implementation, "attribute" a capability
local VIDS = {
  {"afcad71368a1f1c96b8696fc77570100", "Dead Peer Detection v1.0", "attribute"},
  {"4a131c81070358455c5728f20e95452f", "RFC 3947 NAT-T", "attribute"},
  {"90cb80913ebb696e086381b5ec427b1f", "draft-ietf-ipsec-nat-t-ike-02", "attribute"},
  {"cd60464335df21f87cfdb2fc68b6a448", "draft-ietf-ipsec-nat-t-ike-02", "attribute"},
  {"4485152d18b6bbcd0be8a8469579ddcc", "draft-ietf-ipsec-nat-t-ike-00", "attribute"},
  {"09002689dfd6b712", "XAUTH", "attribute"},
  {"12f5f28c457168a9702d9fe274cc0100", "Cisco Unity", "attribute"},
  {"882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan", "vendor"},
  {"4f45", "Openswan/libreswan", "vendor"},
}

local function transforms()
  local list = {}
  local n = 0
  for _, enc in ipairs({{7, 128}, {5}}) do
    for _, hash in ipairs({2, 1}) do
      for _, group in ipairs({14, 2}) do
        n = n + 1
        local attrs = string.pack(">I2I2", 0x8001, enc[1])
        if enc[2] then attrs = attrs .. string.pack(">I2I2", 0x800e, enc[2]) end
        attrs = attrs .. string.pack(">I2I2I2I2I2I2I2I2I2I2", 0x8002, hash, 0x8003, 1,
                                     0x8004, group, 0x800b, 1, 0x800c, 28800)
        list[#list + 1] = {n = n, attrs = attrs}
      end
    end
  end
  local out = {}
  for i, t in ipairs(list) do
    local body = string.pack(">BBI2", t.n, 1, 0) .. t.attrs
    out[#out + 1] = string.pack(">BBI2", i < #list and 3 or 0, 0, 4 + #body) .. body
  end
  return table.concat(out), #list
end

local function packet(exchange)
  local trans, count = transforms()
  local prop = string.pack(">BBI2BBBB", 0, 0, 8 + #trans, 1, 1, 0, count) .. trans
  local sa_body = string.pack(">I4I4", 1, 1) .. prop
  local next_after_sa = exchange == 4 and 4 or 0
  local payloads = string.pack(">BBI2", next_after_sa, 0, 4 + #sa_body) .. sa_body
  if exchange == 4 then
    -- aggressive mode: key exchange (group 14's 256 bytes), nonce, ID
    local ke = string.rep("\1", 256)
    local nonce = string.rep("\2", 20)
    local id = string.pack(">BBI2", 3, 0, 0) .. "vpn"
    payloads = payloads .. string.pack(">BBI2", 10, 0, 4 + #ke) .. ke
               .. string.pack(">BBI2", 5, 0, 4 + #nonce) .. nonce
               .. string.pack(">BBI2", 0, 0, 4 + #id) .. id
  end
  local cookie = ""
  for _ = 1, 8 do cookie = cookie .. string.char(math.random(0, 255)) end
  return cookie .. string.rep("\0", 8)
         .. string.pack(">BBBBI4I4", 1, 0x10, exchange, 0, 0, 28 + #payloads) .. payloads
end

local function vendor_ids(d)
  if #d < 28 then return nil end
  local next_p = d:byte(17)
  local pos, out = 29, {}
  while next_p ~= 0 and pos + 3 <= #d do
    local nxt, _, len = string.unpack(">BBI2", d, pos)
    if len < 4 then break end
    if next_p == 13 then out[#out + 1] = d:sub(pos + 4, pos + len - 1) end
    next_p, pos = nxt, pos + len
  end
  return out
end

local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local vids
  for _, exch in ipairs({2, 4}) do
    sock:send(packet(exch))
    local ok, d = sock:receive()
    if ok then vids = vendor_ids(d) end
    if vids and #vids > 0 then break end
  end
  sock:close()
  if not vids then return nil end
  local out = stdnse.output_table()
  local attrs, vendor, unknown = {}, nil, {}
  for _, v in ipairs(vids) do
    local h, known = hex(v), false
    for _, e in ipairs(VIDS) do
      if h:sub(1, #e[1]) == e[1] then
        known = true
        if e[3] == "vendor" then vendor = vendor or e[2] else attrs[#attrs + 1] = e[2] end
        break
      end
    end
    if not known then unknown[#unknown + 1] = h end
  end
  out["vendor_id"] = vendor
  out["attributes"] = #attrs > 0 and attrs or nil
  out["unknown vendor ids"] = #unknown > 0 and unknown or nil
  nmap.set_port_state(host, port, "open")
  port.version = port.version or {}
  port.version.name = "isakmp"
  port.version.product = vendor
  nmap.set_port_version(host, port, "hardmatched")
  return out
end
