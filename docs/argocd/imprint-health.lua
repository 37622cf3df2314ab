-- Argo CD health check for imprint.dev GoldenImage and VmClone (the same status shape for both kinds).
-- Install it in argocd-cm as resource.customizations.health.imprint.dev_GoldenImage and
-- resource.customizations.health.imprint.dev_VmClone (see docs/gitops.md). Argo CD sets the global `obj`.
-- Written for Lua 5.1 (Argo CD's gopher-lua) and tested with lua5.4 by tests/Operator.Tests/Charts.
local hs = { status = "Progressing", message = "Waiting for the Imprint operator" }

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local status = obj.status
if status == nil then
  return hs
end

-- A status written for an older spec says nothing about the current one (kstatus does the same).
local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status, "Ready")
local degraded = condition(status, "Degraded")

if status.phase == "Failed" or (degraded ~= nil and degraded.status == "True") then
  hs.status = "Degraded"
  hs.message = status.message or (degraded and degraded.message) or (ready and ready.message) or "Failed"
  if status.reason ~= nil then
    hs.message = status.reason .. ": " .. hs.message
  end
  return hs
end

if status.phase == "Ready" and (ready == nil or ready.status == "True") then
  hs.status = "Healthy"
  hs.message = (ready and ready.message ~= "" and ready.message) or "Ready"
  return hs
end

hs.message = status.phase or "Pending"
if status.progress ~= nil then
  hs.message = hs.message .. " " .. status.progress
end
if status.message ~= nil and status.message ~= "" then
  hs.message = hs.message .. ": " .. status.message
end
return hs
