; PAPI Desktop — Inno Setup 6 script (needs Inno Setup 6.5 or later, for x64compatible and
; the message names of the vendored Vietnamese.isl).
;
; Build (from the repository root, after PyInstaller wrote dist\papi-desktop\):
;   iscc /DAppVer=0.1.0 installer\windows\papi-desktop.iss
; Output: dist\PAPI-Desktop-<ver>-setup.exe. See installer\build_windows.md.
;
; Rules this script keeps:
; - The AppId below never changes: it is how a new version finds and replaces the old one
;   (upgrade in place, same folder, same Start menu entry).
; - Per-user install without admin rights: {autopf} is %LOCALAPPDATA%\Programs for a
;   per-user install. IT staff can still install for all users from the command line
;   with /ALLUSERS (then {autopf} is Program Files and admin rights are asked for).
; - The user's data never lives in {app}: the app keeps it in the platformdirs folder
;   %LOCALAPPDATA%\PAPI Desktop\PAPI Desktop (papi_desktop/config.py). Neither
;   [InstallDelete] nor [UninstallDelete] touches that folder, so upgrading or uninstalling
;   never deletes the database, attachments, backups or keys.
;
; Code signing: with a certificate, define a sign tool in the IDE (Tools > Configure Sign
; Tools) or on the command line, e.g.
;   iscc "/Ssigntool=signtool.exe sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a $f" ...
; and uncomment SignTool= below: Inno Setup then signs the setup and the uninstaller.
; Sign dist\papi-desktop\papi-desktop.exe first (build_windows.md step 6), before this runs.

#ifndef AppVer
  #define AppVer "0.1.0"
#endif
#ifndef SourceFolder
  #define SourceFolder "..\..\dist\papi-desktop"
#endif
#define AppName "PAPI Desktop"
#define AppExeName "papi-desktop.exe"
#define AppPublisher "PAPI Desktop contributors"

[Setup]
; Fixed for ever (the double {{ is how Inno Setup writes a literal brace).
AppId={{CC4471D5-D05E-4207-ACB3-E3E1FD689AC4}
AppName={#AppName}
AppVersion={#AppVer}
AppVerName={#AppName} {#AppVer}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVer}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} Setup
AppCopyright=GPL-3.0-or-later
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=auto
DisableDirPage=auto
UsePreviousAppDir=yes
UsePreviousGroup=yes
UsePreviousTasks=yes
UsePreviousLanguage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=PAPI-Desktop-{#AppVer}-setup
SetupIconFile=..\..\assets\icon\papi-desktop.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/ultra
SolidCompression=yes
; Close a running PAPI Desktop (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "vi"; MessagesFile: "Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vi.DataKept=Dữ liệu của bạn (cơ sở dữ liệu, tệp minh chứng, bản sao lưu) vẫn được giữ nguyên tại:%n%n%1%n%nNếu cài lại PAPI Desktop, chương trình sẽ dùng tiếp dữ liệu này.
en.DataKept=Your data (database, evidence files, backups) has been kept in:%n%n%1%n%nIf you install PAPI Desktop again, it will use this data.
vi.PortableFolder=Thư mục này chứa bản chạy trực tiếp (portable) của PAPI Desktop. Hãy chọn thư mục khác để cài đặt, hoặc tiếp tục dùng bản chạy trực tiếp mà không cần cài.
en.PortableFolder=This folder holds a portable copy of PAPI Desktop. Choose another folder to install into, or keep using the portable copy without installing.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Only the PyInstaller runtime folder is cleared before an upgrade, so files of the old
; version do not linger. Naming the folder (not {app}\*) keeps a wrongly chosen install
; folder safe, as in Thonny's installer.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The one-dir build. A data folder or portable marker left in it by a test run is not shipped.
Source: "{#SourceFolder}\*"; DestDir: "{app}"; Excludes: "\PAPI-data,\portable"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Program files only. The data folder (%LOCALAPPDATA%\PAPI Desktop) is never listed here.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
function DataDir(): String;
begin
  { platformdirs.user_data_dir("PAPI Desktop", "PAPI Desktop", roaming=False) }
  Result := ExpandConstant('{localappdata}\PAPI Desktop\PAPI Desktop');
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  { Installing over a portable copy would mix it with an installed one. }
  if (CurPageID = wpSelectDir) and FileExists(AddBackslash(WizardDirValue) + 'portable') then
  begin
    MsgBox(CustomMessage('PortableFolder'), mbError, MB_OK);
    Result := False;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
