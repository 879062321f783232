// Lanterna's Android activity, used by `dx` in place of its template
// (Dioxus.toml: application.android_main_activity). dx 0.7 copies it as it is.
//
// FLAG_SECURE on the window before anything is drawn: Android refuses screenshots and
// screen recording of the app, and the task switcher shows a blank card instead of the
// last screen (which could be an outing's counts or a person's short name).
package dev.dioxus.main

import android.os.Bundle
import android.view.WindowManager

typealias BuildConfig = org.lanterna.field.BuildConfig

class MainActivity : WryActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        super.onCreate(savedInstanceState)
    }
}
