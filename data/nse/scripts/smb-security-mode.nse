description = [[
Sends an SMB1 NEGOTIATE ([MS-CIFS] 2.2.4.52) and reports the response's
SecurityMode: user or share level authentication
(NEGOTIATE_USER_SECURITY 0x01), challenge/response or plaintext passwords
(NEGOTIATE_ENCRYPT_PASSWORDS 0x02) and message signing (disabled,
supported 0x04, required 0x08), with the account the smb arguments name
(smbusername, else guest). No login is made. netkit's script. SMB1 only:
a server with SMB1 off gives no result (with -d the error).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local nmap = require "nmap"
local smb = require "smb"
local stdnse = require "stdnse"

hostrule = function(host)
  return smb.get_port(host) ~= nil
end

-- the normal output's words for the values the XML has bare
local SAY = {share = "share (dangerous)", ["plaintext-only"] = "plaintext-only (dangerous)",
  disabled = "disabled (dangerous, but default)"}

action = function(host)
  local neg, err = smb.negotiate_v1(host)
  if not neg then
    stdnse.debug1("Couldn't negotiate a SMBv1 connection:%s", err)
    if nmap.debugging() > 0 then
      return "\n  ERROR: Could not negotiate a connection:" .. tostring(err)
    end
    return nil
  end
  local mode = neg.security_mode
  local out = stdnse.output_table()
  out.account_used = stdnse.get_script_args("smbusername") or "guest"
  out.authentication_level = mode & 0x01 ~= 0 and "user" or "share"
  out.challenge_response = mode & 0x02 ~= 0 and "supported" or "plaintext-only"
  out.message_signing = mode & 0x08 ~= 0 and "required" or mode & 0x04 ~= 0 and "supported"
    or "disabled"
  local lines = {}
  for k, v in pairs(out) do lines[#lines + 1] = ("  %s: %s"):format(k, SAY[v] or v) end
  return out, "\n" .. table.concat(lines, "\n")
end
