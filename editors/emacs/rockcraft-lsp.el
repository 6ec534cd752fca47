;;; rockcraft-lsp.el --- rockcraft.yaml language server for Eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: Apache-2.0

;;; Commentary:

;; Starts `rockcraft-lsp' (stdio) for files named rockcraft.yaml, and for no other file.
;;
;; Such files open in `rockcraft-yaml-mode', a YAML mode (derived from `yaml-mode' when it is
;; installed, else from `yaml-ts-mode' when its grammar is, else from `prog-mode').  The
;; server is registered for that mode only, in Eglot (`eglot-server-programs', language id
;; "yaml") and, if lsp-mode is loaded, in lsp-mode (as an add-on client, so it runs next to
;; yaml-language-server).  Other YAML buffers are left alone.
;;
;;   (add-to-list 'load-path "/path/to/rockcraft-lsp/editors/emacs")
;;   (require 'rockcraft-lsp)
;;
;; `rockcraft-lsp-client' says which client the mode starts (Eglot by default).

;;; Code:

(require 'cl-lib)

(defgroup rockcraft-lsp nil
  "The rockcraft.yaml language server."
  :group 'languages
  :prefix "rockcraft-lsp-")

(defcustom rockcraft-lsp-server-command '("rockcraft-lsp")
  "Command line that starts the server on stdio: program and arguments."
  :type '(repeat string))

(defcustom rockcraft-lsp-initialization-options nil
  "`initializationOptions' sent to the server, as a plist, or nil.
For example (:experimentalExtensions t) or
\(:packages (:indexFiles [\"/var/lib/apt/lists/..._Packages\"]))."
  :type 'sexp)

(defcustom rockcraft-lsp-client 'eglot
  "Client `rockcraft-yaml-mode' starts: `eglot', `lsp-mode' or nil.
With nil, start a client yourself."
  :type '(choice (const :tag "Eglot" eglot)
                 (const :tag "lsp-mode" lsp-mode)
                 (const :tag "None" nil)))

(defconst rockcraft-lsp-file-regexp "/rockcraft\\.yaml\\'"
  "File names `rockcraft-yaml-mode' is used for.")

(defun rockcraft-lsp-file-p (file-name)
  "Non-nil when FILE-NAME is a rockcraft.yaml."
  (and file-name (string= (file-name-nondirectory file-name) "rockcraft.yaml")))

;;;; The major mode

(declare-function yaml-mode "yaml-mode" ())
(declare-function yaml-ts-mode "yaml-ts-mode" ())

(cond
 ((require 'yaml-mode nil t)
  (define-derived-mode rockcraft-yaml-mode yaml-mode "Rockcraft"
    "Major mode for rockcraft.yaml (YAML mode plus the rockcraft language server)."))
 ((and (fboundp 'yaml-ts-mode) (fboundp 'treesit-language-available-p)
       (treesit-language-available-p 'yaml))
  (define-derived-mode rockcraft-yaml-mode yaml-ts-mode "Rockcraft"
    "Major mode for rockcraft.yaml (YAML mode plus the rockcraft language server)."))
 (t
  (define-derived-mode rockcraft-yaml-mode prog-mode "Rockcraft"
    "Major mode for rockcraft.yaml (no YAML mode is installed)."
    (setq-local comment-start "# ")
    (setq-local comment-start-skip "#+\\s-*"))))

;;;###autoload
(add-to-list 'auto-mode-alist (cons rockcraft-lsp-file-regexp 'rockcraft-yaml-mode))

(declare-function eglot-ensure "eglot" ())
(declare-function lsp-deferred "lsp-mode" ())

(defun rockcraft-lsp--start ()
  "Start the client chosen by `rockcraft-lsp-client' in a rockcraft.yaml buffer."
  (when (rockcraft-lsp-file-p buffer-file-name)
    (pcase rockcraft-lsp-client
      ('eglot (when (require 'eglot nil t) (eglot-ensure)))
      ('lsp-mode (when (fboundp 'lsp-deferred) (lsp-deferred))))))

(add-hook 'rockcraft-yaml-mode-hook #'rockcraft-lsp--start)

;;;; Eglot

(defun rockcraft-lsp--eglot-contact (&optional _interactive)
  "Eglot contact: `rockcraft-lsp-server-command' plus the initialization options."
  (append rockcraft-lsp-server-command
          (when rockcraft-lsp-initialization-options
            (list :initializationOptions rockcraft-lsp-initialization-options))))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs
               '((rockcraft-yaml-mode :language-id "yaml") . rockcraft-lsp--eglot-contact)))

;;;; The expanded project

(defun rockcraft-lsp-show-expanded (yaml source)
  "Show YAML, the expanded project of SOURCE (a URI), in a read-only buffer."
  (let ((buffer (get-buffer-create
                 (format "*rockcraft expanded: %s*"
                         (file-name-nondirectory
                          (directory-file-name
                           (file-name-directory (url-unhex-string
                                                 (replace-regexp-in-string
                                                  "\\`file://" "" source)))))))))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert yaml)
        (goto-char (point-min)))
      (cond ((fboundp 'yaml-mode) (yaml-mode))
            ((fboundp 'yaml-ts-mode) (ignore-errors (yaml-ts-mode))))
      (setq buffer-read-only t))
    (display-buffer buffer)
    buffer))

(declare-function eglot-client-capabilities "eglot" (server))
(declare-function url-unhex-string "url-util" (str &optional allow-newlines))

(defun rockcraft-lsp--eglot-opens-documents-p (server)
  "Non-nil when Eglot tells SERVER it opens documents (`window/showDocument')."
  (plist-get (plist-get (eglot-client-capabilities server) :window) :showDocument))

;; "Show the expanded project" runs `rockcraft.showExpandedProject', whose result is the YAML.
;; An Eglot that opens documents for the server gets a file to show from the server itself;
;; an older one (no `window/showDocument') shows the result in a buffer here.
(with-eval-after-load 'eglot
  (require 'url-util)
  (cl-defmethod eglot-execute-command :around
    (server (_command (eql rockcraft.showExpandedProject)) arguments)
    (let ((yaml (cl-call-next-method)))
      (when (and (stringp yaml) (not (rockcraft-lsp--eglot-opens-documents-p server)))
        (rockcraft-lsp-show-expanded yaml (format "%s" (elt arguments 0))))
      yaml)))

;;;; lsp-mode

(declare-function lsp-register-client "lsp-mode" (client))
(declare-function make-lsp-client "lsp-mode" (&rest args))
(declare-function lsp-stdio-connection "lsp-mode" (command &optional test-command))
(defvar lsp-language-id-configuration)

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(rockcraft-yaml-mode . "yaml"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () rockcraft-lsp-server-command))
    :activation-fn (lambda (file-name _mode) (rockcraft-lsp-file-p file-name))
    :add-on? t
    :server-id 'rockcraft-lsp
    :initialization-options (lambda () rockcraft-lsp-initialization-options))))

(provide 'rockcraft-lsp)
;;; rockcraft-lsp.el ends here
