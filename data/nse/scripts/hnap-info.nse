description = [[
Asks an HTTP server for /HNAP1 (the Home Network Administration Protocol's
device settings, a SOAP document) and shows the device's type, name,
vendor, description, model, firmware, presentation URL and SOAP actions;
the port's version record takes the vendor and model. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "discovery", "default", "version"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local FIELDS = {{"Type", "Type"}, {"DeviceName", "Device"}, {"VendorName", "Vendor"},
                {"ModelDescription", "Description"}, {"ModelName", "Model"},
                {"FirmwareVersion", "Firmware"}, {"PresentationURL", "Presentation URL"}}

local function tag(body, name)
  local v = body:match("<" .. name .. "[^>]*>%s*(.-)%s*</" .. name .. ">")
  if v and v ~= "" then return v end
end

action = function(host, port)
  local resp = http.get(host, port, "/HNAP1")
  local body = resp.status == 200 and resp.body
  if not body or not body:find("DeviceSettings", 1, true) then return nil end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do out[f[2]] = tag(body, f[1]) end
  local actions = {}
  for a in body:gmatch("<string>%s*(.-)%s*</string>") do actions[#actions + 1] = a end
  if #actions > 0 then out["SOAPACTIONS"] = actions end
  if out.Vendor or out.Model then
    port.version = port.version or {}
    port.version.product = out.Vendor and out.Model and (out.Vendor .. " " .. out.Model)
                           or out.Vendor or out.Model
    port.version.version = out.Firmware
    nmap.set_port_version(host, port, "hardmatched")
  end
  return out
end
