;;; eglot_snippet_test.el --- the Eglot snippet of editors/emacs/README.md, in a clean Emacs  -*- lexical-binding: t; -*-

;; Run by tests/editors/run.sh as:  emacs -Q --batch -l eglot_snippet_test.el
;; Environment:
;;   RLSP_BIN        server binary; its directory is put first on PATH and `exec-path', since
;;                   the snippet starts "rockcraft-lsp" by name
;;   RLSP_README     editors/emacs/README.md, where the snippet is read from
;;   RLSP_PROJECT    the flask fixture (rockcraft.yaml + other.yaml)
;;   RLSP_OUT        result file: one "PASS|FAIL eglot-snippet/<check>: <detail>" line per check
;;   RLSP_PIDFILE    the server's pid is written here once it runs (Emacs starts it in its own
;;                   session, so run.sh stops it by pid if it outlives Emacs)
;;   RLSP_ELPA_DIRS  where Eglot is installed as a package when Emacs has none built in
;;                   (colon-separated; default: Debian's /usr/share/emacs/site-lisp/elpa)
;;   RLSP_TIMEOUT_S  watchdog (default 60)
;;
;; The snippet is the README's own text, evaluated form by form in `emacs -Q' at the point an
;; init file runs: packages activated (autoloads only), Eglot not loaded.  On Emacs 28 Eglot
;; comes from a package; on 29+ it is built in.  Then rockcraft.yaml is visited and a
;; diagnostic must arrive through Flymake.

(require 'cl-lib)
(require 'subr-x)

(defvar rt-lines nil)
(defvar rt-failed nil)

(defun rt-record (ok name detail)
  (unless ok (setq rt-failed t))
  (push (replace-regexp-in-string
         "\n" " " (format "%s eglot-snippet/%s: %s" (if ok "PASS" "FAIL") name detail))
        rt-lines))

(defun rt-write ()
  (let ((coding-system-for-write 'utf-8))
    (with-temp-file (getenv "RLSP_OUT")
      (insert (mapconcat #'identity (reverse rt-lines) "\n") "\n"))))

(defun rt-wait (pred timeout)
  "Pump process output and timers until PRED returns non-nil or TIMEOUT seconds pass."
  (let ((deadline (+ (float-time) timeout)) res)
    (while (and (not (setq res (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    res))

(defun rt-readme-snippet (file)
  "The text of the elisp block after \"Without this file\" in FILE, or nil."
  (with-temp-buffer
    (insert-file-contents file)
    (goto-char (point-min))
    (when (and (search-forward "**Without this file**" nil t)
               (re-search-forward "^[ \t]*```elisp[ \t]*\n" nil t))
      (let ((beg (point)))
        (when (re-search-forward "^[ \t]*```[ \t]*$" nil t)
          (buffer-substring-no-properties beg (match-beginning 0)))))))

(defun rt-read-forms (text)
  "All forms of TEXT, in order."
  (let ((pos 0) forms)
    (condition-case nil
        (while t
          (let ((r (read-from-string text pos)))
            (push (car r) forms)
            (setq pos (cdr r))))
      (end-of-file nil))
    (nreverse forms)))

(defun rt-activate-packages ()
  "Make Eglot available as Emacs does before the init file: autoloads, nothing loaded.
Returns where Eglot was found."
  (require 'package)
  (unless (locate-library "eglot")
    ;; Emacs < 29: Eglot is a package (GNU ELPA, or Debian's elpa-eglot)
    (setq package-directory-list
          (split-string (or (getenv "RLSP_ELPA_DIRS") "/usr/share/emacs/site-lisp/elpa")
                        ":" t)))
  (package-activate-all)
  (locate-library "eglot"))

(defun rt-flush-changes ()
  "Send Eglot's pending didChange now and (re)start Flymake, as idle time would."
  (when (and (boundp 'eglot--change-idle-timer) (timerp eglot--change-idle-timer))
    (cancel-timer eglot--change-idle-timer)
    (setq eglot--change-idle-timer nil))
  (eglot--signal-textDocument/didChange)
  (flymake-start))

(defun rt-diag-codes ()
  (mapcar (lambda (d)
            (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code))
          (flymake-diagnostics)))

(cl-defun rt-main ()
  (let* ((bin (getenv "RLSP_BIN"))
         (bindir (directory-file-name (file-name-directory bin)))
         (project (file-name-as-directory (getenv "RLSP_PROJECT")))
         (text (rt-readme-snippet (getenv "RLSP_README")))
         (forms (and text (rt-read-forms text)))
         (eglot-lib (rt-activate-packages)))
    (unless (equal (file-name-nondirectory bin) "rockcraft-lsp")
      (rt-record nil "config" (format "RLSP_BIN must be named rockcraft-lsp: %s" bin))
      (cl-return-from rt-main))
    (setenv "PATH" (concat bindir path-separator (getenv "PATH")))
    (push bindir exec-path)
    (unless forms
      (rt-record nil "config" "no elisp block after \"Without this file\" in the README")
      (cl-return-from rt-main))
    (unless eglot-lib
      (rt-record nil "config" "Eglot is neither built in nor installed as a package")
      (cl-return-from rt-main))
    ;; the state the bug showed in: at init time Eglot is not loaded yet
    (when (featurep 'eglot)
      (rt-record nil "config" "Eglot is already loaded before the snippet runs")
      (cl-return-from rt-main))
    (let ((err (condition-case e
                   (progn (dolist (f forms) (eval f t)) nil)
                 (error e))))
      (rt-record (null err) "config"
                 (if err (format "the README snippet fails with Eglot not loaded: %S" err)
                   (format "%d forms evaluated in Emacs %s with Eglot not loaded (%s)"
                           (length forms) emacs-version eglot-lib)))
      (when err (cl-return-from rt-main)))

    ;; another YAML file keeps its mode and gets no server
    (with-current-buffer (find-file-noselect (concat project "other.yaml"))
      (run-hooks 'post-command-hook)
      (rt-wait (lambda () nil) 1.0)
      (rt-record (and (not (eq major-mode 'rockcraft-yaml-mode))
                      (not (and (fboundp 'eglot-current-server) (eglot-current-server))))
                 "not-attached-to-other-yaml" (format "mode=%s" major-mode)))

    (set-buffer (find-file-noselect (concat project "rockcraft.yaml")))
    ;; eglot-ensure (the snippet's hook) connects on the next post-command-hook
    (run-hooks 'post-command-hook)
    (let ((server (rt-wait (lambda () (and (fboundp 'eglot-current-server)
                                           (eglot-current-server)))
                           15)))
      (unless server
        (rt-record nil "attach" (format "no Eglot server for rockcraft.yaml (mode %s)" major-mode))
        (cl-return-from rt-main))
      (let ((proc (jsonrpc--process server)))
        (when (and proc (process-id proc))
          (with-temp-file (getenv "RLSP_PIDFILE")
            (insert (number-to-string (process-id proc))))))
      (rt-record (eq major-mode 'rockcraft-yaml-mode) "attach"
                 (format "mode %s, server %s, command %S" major-mode
                         (plist-get (eglot--server-info server) :name)
                         (process-command (jsonrpc--process server))))
      (rt-flush-changes)
      (rt-wait (lambda () (member "prime-prefix" (rt-diag-codes))) 15)
      (let ((codes (rt-diag-codes)))
        (rt-record (member "prime-prefix" codes) "diagnostic"
                   (format "Flymake has %d diagnostics: %s" (length codes)
                           (mapconcat (lambda (c) (format "%s" c)) codes ", "))))
      (ignore-errors (eglot-shutdown server)))))

(run-at-time (string-to-number (or (getenv "RLSP_TIMEOUT_S") "60")) nil
             (lambda ()
               (rt-record nil "watchdog" "no result within the time limit")
               (rt-write)
               (kill-emacs 124)))
(condition-case err
    (rt-main)
  (error (rt-record nil "driver" (format "%S" err))))
(rt-write)
(kill-emacs (if rt-failed 1 0))

;;; eglot_snippet_test.el ends here
