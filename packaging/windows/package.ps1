# Builds Redock's Windows installer with jpackage, from the repository root:
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\package.ps1 [-Type msi|exe]
#
# Needs a JDK 17+ (jpackage), Maven, and the WiX Toolset 3.x on the PATH (candle.exe, light.exe), which jpackage uses
# for both .msi and .exe. Writes target\packages\Redock-<version>.msi (or .exe).
param([ValidateSet('msi', 'exe')][string]$Type = 'msi')
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..\..')

if (-not (Test-Path target\redock.jar)) {
    mvn -B -q -DskipTests package
    if ($LASTEXITCODE -ne 0) { throw 'mvn package failed' }
}
# jpackage wants numbers only: 0.1.0-SNAPSHOT packages as 0.1.0.
$pom = [xml](Get-Content pom.xml)
$version = ($pom.project.version -split '-')[0]

Remove-Item -Recurse -Force -ErrorAction SilentlyContinue target\jpackage-windows, target\packages
New-Item -ItemType Directory -Force target\jpackage-windows\input, target\packages | Out-Null
Copy-Item target\redock.jar target\jpackage-windows\input\

jpackage '@packaging/windows/jpackage.txt' --type $Type --app-version $version `
    --input target\jpackage-windows\input --dest target\packages
if ($LASTEXITCODE -ne 0) { throw 'jpackage failed' }
Get-ChildItem target\packages
