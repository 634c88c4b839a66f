-- netkit's `tls` (ours, from RFC 5246 (TLS 1.2), RFC 8446 (TLS 1.3) and
-- nmap's documented tls API): ClientHello building, record and handshake
-- parsing, the names of cipher suites, groups and protocol versions.
--
--   tls.client_hello{protocol=, ciphers=, compressors=, extensions=}
--       -> the ClientHello record (bytes)
--   tls.read_handshake(sock, stop) -> {messages}, alert | nil, error
--       reads records until a handshake message of type `stop` (default
--       server_hello_done) or an alert
--   tls.server_hello(body) -> {version, cipher, compressor, extensions}
local tls = {}

tls.PROTOCOLS = {["SSLv3"] = 0x0300, ["TLSv1.0"] = 0x0301, ["TLSv1.1"] = 0x0302,
                 ["TLSv1.2"] = 0x0303, ["TLSv1.3"] = 0x0304}
tls.PROTOCOL_NAMES = {}
for k, v in pairs(tls.PROTOCOLS) do tls.PROTOCOL_NAMES[v] = k end

tls.COMPRESSORS = {NULL = 0, DEFLATE = 1, LZS = 64}

-- Supported Groups (RFC 8422, 7919, 8446): id -> name, as nmap names them
tls.GROUPS = {
  [1] = "sect163k1", [2] = "sect163r1", [3] = "sect163r2", [4] = "sect193r1",
  [5] = "sect193r2", [6] = "sect233k1", [7] = "sect233r1", [8] = "sect239k1",
  [9] = "sect283k1", [10] = "sect283r1", [11] = "sect409k1", [12] = "sect409r1",
  [13] = "sect571k1", [14] = "sect571r1", [15] = "secp160k1", [16] = "secp160r1",
  [17] = "secp160r2", [18] = "secp192k1", [19] = "secp192r1", [20] = "secp224k1",
  [21] = "secp224r1", [22] = "secp256k1", [23] = "secp256r1", [24] = "secp384r1",
  [25] = "secp521r1", [26] = "brainpoolP256r1", [27] = "brainpoolP384r1",
  [28] = "brainpoolP512r1", [29] = "ecdh_x25519", [30] = "ecdh_x448",
  [256] = "ffdhe2048", [257] = "ffdhe3072", [258] = "ffdhe4096", [259] = "ffdhe6144",
  [260] = "ffdhe8192",
}
-- each group's strength as RSA-equivalent bits (NIST SP 800-57 part 1, table 2)
tls.GROUP_STRENGTH = {}
for id, name in pairs(tls.GROUPS) do
  local bits = tonumber(name:match("(%d+)[kr]%d$") or name:match("ffdhe(%d+)")) or 0
  if name == "ecdh_x25519" then bits = 256 elseif name == "ecdh_x448" then bits = 448 end
  local rsa = bits
  if not name:match("^ffdhe") then
    rsa = bits < 192 and 1024 or bits < 224 and 1536 or bits < 256 and 2048
          or bits < 384 and 3072 or bits < 512 and 7680 or 15360
  end
  tls.GROUP_STRENGTH[id] = rsa
end

-- Cipher suites: code and IANA name (TLS Cipher Suites registry; TLS 1.3's
-- named TLS_AKE_WITH_* as nmap prints them). The list is the registry's
-- entries OpenSSL 3.0 implements (`openssl ciphers -V -stdname
-- ALL:COMPLEMENTOFALL:@SECLEVEL=0`), TLS 1.3's CCM suites (RFC 8446 B.4)
-- and older registry entries (RFC 2246, 4346, 4162, 8422: RC4, DES, 3DES,
-- IDEA, SEED, export) that servers of other libraries may still accept.
local LIST = {
  {0x0001, "TLS_RSA_WITH_NULL_MD5"},
  {0x0002, "TLS_RSA_WITH_NULL_SHA"},
  {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
  {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
  {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
  {0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"},
  {0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"},
  {0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"},
  {0x0009, "TLS_RSA_WITH_DES_CBC_SHA"},
  {0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
  {0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"},
  {0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"},
  {0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"},
  {0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"},
  {0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"},
  {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
  {0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"},
  {0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"},
  {0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"},
  {0x002C, "TLS_PSK_WITH_NULL_SHA"},
  {0x002D, "TLS_DHE_PSK_WITH_NULL_SHA"},
  {0x002E, "TLS_RSA_PSK_WITH_NULL_SHA"},
  {0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"},
  {0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
  {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
  {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"},
  {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
  {0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
  {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
  {0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"},
  {0x003B, "TLS_RSA_WITH_NULL_SHA256"},
  {0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
  {0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
  {0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"},
  {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
  {0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"},
  {0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"},
  {0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA"},
  {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
  {0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"},
  {0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
  {0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"},
  {0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"},
  {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
  {0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"},
  {0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"},
  {0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA"},
  {0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA"},
  {0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA"},
  {0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA"},
  {0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA"},
  {0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA"},
  {0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA"},
  {0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"},
  {0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA"},
  {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
  {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
  {0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
  {0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
  {0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"},
  {0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"},
  {0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"},
  {0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"},
  {0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256"},
  {0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384"},
  {0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256"},
  {0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384"},
  {0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256"},
  {0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384"},
  {0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256"},
  {0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384"},
  {0x00B0, "TLS_PSK_WITH_NULL_SHA256"},
  {0x00B1, "TLS_PSK_WITH_NULL_SHA384"},
  {0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256"},
  {0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384"},
  {0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256"},
  {0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384"},
  {0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256"},
  {0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384"},
  {0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256"},
  {0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384"},
  {0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
  {0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256"},
  {0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
  {0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256"},
  {0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
  {0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256"},
  {0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
  {0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256"},
  {0x1301, "TLS_AKE_WITH_AES_128_GCM_SHA256"},
  {0x1302, "TLS_AKE_WITH_AES_256_GCM_SHA384"},
  {0x1303, "TLS_AKE_WITH_CHACHA20_POLY1305_SHA256"},
  {0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"},
  {0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
  {0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
  {0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
  {0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
  {0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"},
  {0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
  {0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
  {0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
  {0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
  {0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"},
  {0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"},
  {0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"},
  {0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"},
  {0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"},
  {0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA"},
  {0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA"},
  {0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA"},
  {0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA"},
  {0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA"},
  {0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA"},
  {0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
  {0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
  {0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
  {0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
  {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
  {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
  {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
  {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
  {0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA"},
  {0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA"},
  {0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256"},
  {0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384"},
  {0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA"},
  {0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256"},
  {0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384"},
  {0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256"},
  {0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384"},
  {0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256"},
  {0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384"},
  {0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256"},
  {0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384"},
  {0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256"},
  {0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384"},
  {0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"},
  {0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384"},
  {0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256"},
  {0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384"},
  {0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256"},
  {0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384"},
  {0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256"},
  {0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384"},
  {0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
  {0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
  {0xC09C, "TLS_RSA_WITH_AES_128_CCM"},
  {0xC09D, "TLS_RSA_WITH_AES_256_CCM"},
  {0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"},
  {0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"},
  {0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"},
  {0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"},
  {0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"},
  {0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"},
  {0xC0A4, "TLS_PSK_WITH_AES_128_CCM"},
  {0xC0A5, "TLS_PSK_WITH_AES_256_CCM"},
  {0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM"},
  {0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM"},
  {0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8"},
  {0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8"},
  {0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8"},
  {0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8"},
  {0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
  {0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
  {0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
  {0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
  {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256"},
  {0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256"},
  {0x1304, "TLS_AKE_WITH_AES_128_CCM_SHA256"},
  {0x1305, "TLS_AKE_WITH_AES_128_CCM_8_SHA256"},
}
tls.CIPHERS, tls.CIPHER_NAMES = {}, {}
for _, c in ipairs(LIST) do
  tls.CIPHERS[c[2]] = c[1]
  tls.CIPHER_NAMES[c[1]] = c[2]
end

-- a cipher suite's parts: kex ("ECDHE", "RSA", "DH_anon", "AKE"), auth,
-- cipher ("AES_128_GCM"), bits, mac, tls13
function tls.cipher_info(name)
  local kexauth, rest = name:match("^TLS_(.-)_WITH_(.*)$")
  if not kexauth then return nil end
  local info = {name = name, tls13 = kexauth == "AKE"}
  info.kex = kexauth:match("^(ECDHE)") or kexauth:match("^(DHE)") or kexauth:match("^(ECDH)")
             or kexauth:match("^(DH)") or kexauth:match("^(RSA)") or kexauth:match("^(PSK)")
             or kexauth:match("^(SRP)") or kexauth
  info.anon = kexauth:find("anon", 1, true) ~= nil
  info.export = kexauth:find("EXPORT", 1, true) ~= nil
  info.psk = kexauth:find("PSK", 1, true) ~= nil
  local mac = rest:match("_(SHA%d*)$") or rest:match("_(MD5)$")
  info.mac = mac
  local cipher = mac and rest:sub(1, #rest - #mac - 1) or rest
  if cipher:match("_8$") or cipher:match("CCM$") or cipher:match("GCM$") or
     cipher:match("POLY1305$") then info.aead = true end
  info.cipher = cipher
  local bits = tonumber(cipher:match("_(%d+)_") or cipher:match("_(%d+)$") or "")
  if cipher:match("^NULL") then bits = 0
  elseif cipher:match("^3DES") then bits = 112
  elseif cipher:match("^DES40") or cipher:match("_40$") then bits = 40
  elseif cipher:match("^DES") then bits = 56
  elseif cipher:match("^CHACHA20") then bits = 256
  elseif cipher:match("^IDEA") or cipher:match("^SEED") then bits = 128 end
  info.bits = bits or 0
  info.block64 = cipher:match("^3DES") or cipher:match("^DES") or cipher:match("^IDEA")
                 or cipher:match("^RC2")
  info.cbc = cipher:find("CBC", 1, true) ~= nil
  return info
end

-- ---- building ---------------------------------------------------------------

local function u8(v) return string.pack("B", v) end
local function u16(v) return string.pack(">I2", v) end
local function vec8(s) return string.pack(">s1", s) end
local function vec16(s) return string.pack(">s2", s) end
local function u16list(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = u16(v) end
  return vec16(table.concat(t))
end

tls.EXTENSIONS = {server_name = 0, supported_groups = 10, ec_point_formats = 11,
                  signature_algorithms = 13, application_layer_protocol_negotiation = 16,
                  extended_master_secret = 23, session_ticket = 35, supported_versions = 43,
                  psk_key_exchange_modes = 45, key_share = 51, renegotiation_info = 0xff01}

-- the extension data of common extensions
tls.EXTENSION_HELPERS = {}
function tls.EXTENSION_HELPERS.server_name(name)
  return vec16(u8(0) .. vec16(name))
end
function tls.EXTENSION_HELPERS.supported_groups(ids) return u16list(ids) end
function tls.EXTENSION_HELPERS.ec_point_formats(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = u8(v) end
  return vec8(table.concat(t))
end
function tls.EXTENSION_HELPERS.signature_algorithms(list) return u16list(list) end
function tls.EXTENSION_HELPERS.application_layer_protocol_negotiation(protos)
  local t = {}
  for i, p in ipairs(protos) do t[i] = vec8(p) end
  return vec16(table.concat(t))
end
function tls.EXTENSION_HELPERS.supported_versions(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = u16(v) end
  return vec8(table.concat(t))
end
-- key_share: {group id, public key bytes} entries
function tls.EXTENSION_HELPERS.key_share(entries)
  local t = {}
  for i, e in ipairs(entries) do t[i] = u16(e[1]) .. vec16(e[2]) end
  return vec16(table.concat(t))
end

-- RFC 8446 4.2.3: ECDSA, RSA-PSS, EdDSA, RSA PKCS#1, SHA-1 and DSA pairs
tls.SIGNATURE_ALGORITHMS = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806,
                            0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203,
                            0x0301, 0x0201, 0x0402, 0x0502, 0x0602, 0x0302, 0x0202}

local function random_bytes(n)
  local t = {}
  for i = 1, n do t[i] = string.char(math.random(0, 255)) end
  return table.concat(t)
end
tls.random_bytes = random_bytes

-- t.protocol ("TLSv1.2"), t.ciphers (names or codes), t.compressors (names),
-- t.extensions ({name or code, data} pairs, in order)
function tls.client_hello(t)
  local proto = tls.PROTOCOLS[t.protocol or "TLSv1.2"]
  local legacy = math.min(proto, 0x0303)
  local ciphers = {}
  for _, c in ipairs(t.ciphers or {}) do
    ciphers[#ciphers + 1] = type(c) == "number" and c or tls.CIPHERS[c]
  end
  local comp = {}
  for _, c in ipairs(t.compressors or {"NULL"}) do comp[#comp + 1] = u8(tls.COMPRESSORS[c] or c) end
  local body = u16(legacy) .. random_bytes(32) .. vec8(t.session_id or "")
               .. u16list(ciphers) .. vec8(table.concat(comp))
  if proto > 0x0300 and t.extensions and #t.extensions > 0 then
    local ext = {}
    for _, e in ipairs(t.extensions) do
      local code = type(e[1]) == "number" and e[1] or tls.EXTENSIONS[e[1]]
      ext[#ext + 1] = u16(code) .. vec16(e[2])
    end
    body = body .. vec16(table.concat(ext))
  end
  local hs = u8(1) .. string.pack(">I3", #body) .. body
  return u8(22) .. u16(math.min(legacy, 0x0301)) .. vec16(hs)
end

-- ---- parsing ----------------------------------------------------------------

tls.HANDSHAKE_TYPES = {[1] = "client_hello", [2] = "server_hello", [4] = "new_session_ticket",
                       [8] = "encrypted_extensions", [11] = "certificate",
                       [12] = "server_key_exchange", [13] = "certificate_request",
                       [14] = "server_hello_done"}

-- a ServerHello's body -> table; the HelloRetryRequest of TLS 1.3 is marked
local HRR = "\xCF\x21\xAD\x74\xE5\x9A\x61\x11\xBE\x1D\x8C\x02\x1E\x65\xB8\x91"
            .. "\xC2\xA2\x11\x16\x7A\xBB\x8C\x5E\x07\x9E\x09\xE2\xC8\xA8\x33\x9C"
function tls.server_hello(b)
  local version, pos = string.unpack(">I2", b)
  local random = b:sub(pos, pos + 31)
  local sid
  sid, pos = string.unpack(">s1", b, pos + 32)
  local cipher, comp
  cipher, comp, pos = string.unpack(">I2B", b, pos)
  local sh = {version = version, random = random, session_id = sid, cipher = cipher,
              cipher_name = tls.CIPHER_NAMES[cipher], compressor = comp, extensions = {},
              hello_retry = random == HRR}
  if pos + 1 <= #b then
    local exts
    exts, pos = string.unpack(">s2", b, pos)
    local p = 1
    while p + 3 <= #exts do
      local typ, data
      typ, data, p = string.unpack(">I2s2", exts, p)
      sh.extensions[typ] = data
    end
  end
  local sv = sh.extensions[43]
  if sv and #sv == 2 then sh.version = string.unpack(">I2", sv) end
  local ks = sh.extensions[51]
  if ks and #ks >= 2 then sh.group = string.unpack(">I2", ks) end
  return sh
end

-- the first certificate of a Certificate message (TLS 1.2 layout), DER
function tls.first_certificate(b)
  if #b < 6 then return nil end
  local len = string.unpack(">I3", b, 4)
  return b:sub(7, 6 + len)
end

-- reads records from sock until handshake message `stop` (or an alert, or a
-- ServerHello of TLS 1.3); returns the messages {type=, body=} and the alert
function tls.read_handshake(sock, stop)
  stop = stop or 14
  -- hs: handshake bytes from hpos on not yet taken; records arrive in
  -- pend until a whole message may be in (a message may span 256 records
  -- of 64 KB: each added to the whole would copy it again), and messages
  -- are taken by position (a record of 16383 empty ones is no copy each)
  -- (records are taken from buf by position too: a read of 64 KB may
  -- hold 13000 empty ones)
  local buf, bpos, hs, hpos, pend, plen, want, msgs = "", 1, "", 1, {}, 0, 4, {}
  local function need(n)
    while #buf - bpos + 1 < n do
      local ok, d = sock:receive()
      if not ok then return false end
      buf, bpos = buf:sub(bpos) .. d, 1
    end
    return true
  end
  while true do
    if not need(5) then return msgs, nil, "EOF" end
    local ctype, ver, len = string.unpack(">BI2I2", buf, bpos)
    if ctype < 20 or ctype > 24 or ver >> 8 ~= 3 then return msgs, nil, "not TLS" end
    if not need(5 + len) then return msgs, nil, "EOF" end
    local frag = buf:sub(bpos + 5, bpos + 4 + len)
    bpos = bpos + 5 + len
    if ctype == 21 then
      return msgs, {level = frag:byte(1), description = frag:byte(2)}
    elseif ctype == 22 then
      pend[#pend + 1] = frag
      plen = plen + #frag
      if #hs - hpos + 1 + plen >= want then
        hs = hs:sub(hpos) .. table.concat(pend)
        hpos, pend, plen, want = 1, {}, 0, 4
      end
      while plen == 0 and #hs - hpos + 1 >= 4 do
        local mt, mlen = string.unpack(">BI3", hs, hpos)
        if #hs - hpos + 1 < 4 + mlen then want = 4 + mlen; break end
        local m = {type = mt, name = tls.HANDSHAKE_TYPES[mt],
                   body = hs:sub(hpos + 4, hpos + 3 + mlen)}
        msgs[#msgs + 1] = m
        hpos = hpos + 4 + mlen
        if mt == stop then return msgs end
        if mt == 2 then
          local ok, sh = pcall(tls.server_hello, m.body)
          if ok and (sh.version == 0x0304 or sh.hello_retry) then return msgs end
        end
      end
    else
      return msgs -- ChangeCipherSpec or application data: what follows is encrypted
    end
  end
end

return tls
